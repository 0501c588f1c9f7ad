-- One database per subgraph (docker-compose's PostgreSQL runs this on first start).
CREATE DATABASE marketplace_users;
CREATE DATABASE marketplace_sellers;
CREATE DATABASE marketplace_catalog;
CREATE DATABASE marketplace_reviews;
CREATE DATABASE marketplace_orders;
CREATE DATABASE marketplace_payments;
CREATE DATABASE marketplace_shipments;
CREATE DATABASE marketplace_recommendations;
