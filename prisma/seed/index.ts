export * from './demo-data.ts';
