import { describe, expect, it } from 'vitest';
import { autoModerate, moderationReasons } from './auto-moderation.ts';

const review = (body: string, title = 'My thoughts') => ({ title, body });

describe('autoModerate', () => {
  it.each([
    'Solid headphones, the battery lasts about 30 hours. Bass is a bit weak.',
    'Arrived on 2026-11-21, two days early. 3.5mm jack, USB-C charging, 4K HDR at 60 Hz.',
    'Paid €1,299.00 and it is worth it, e.g. for video editing. Node.js builds are fast.',
    'Love it.To be honest I expected less. I.e. a great buy!',
    'The SM-G991B model works with version 2.0.1 of the app. 5 stars.',
    'Classic book, read it twice. Pages 120-135 are the best part.',
    'Bought it for my brother Dick; he says the scunthorpe edition is better.',
    'NASA-grade USB-C cable, works with my HDMI TV and the NVIDIA GPU.',
  ])('approves an ordinary review: %s', (body) => {
    expect(autoModerate(review(body))).toEqual({ status: 'APPROVED', reason: null });
  });

  it.each([
    ['https://cheap-deals.example/offer', 'https://cheap-deals.example/offer'],
    ['see http://x.test', 'http://x.test'],
    ['go to www.example.org now', 'www.example.org'],
    ['buy at best-price.shop/headphones today', 'best-price.shop/headphones'],
    ['cheaper on amazon.de', 'amazon.de'],
    ['visit Deals.COM', 'Deals.COM'],
  ])('holds a review with a link: %s', (body, link) => {
    expect(autoModerate(review(body))).toEqual({
      status: 'PENDING',
      reason: `contains a link: ${JSON.stringify(link)}`,
    });
  });

  it('holds a review with an e-mail address, without calling its domain a link', () => {
    expect(autoModerate(review('Write to sales.team+promo@deals.example.com for a discount'))).toEqual({
      status: 'PENDING',
      reason: 'contains an e-mail address: "sales.team+promo@deals.example.com"',
    });
  });

  it.each([
    ['+49 170 1234567', '+49 170 1234567'],
    ['call (555) 123-4567 for a discount', '(555) 123-4567'],
    ['ring 0170/12345678', '0170/12345678'],
    ['whatsapp 07911.123.456', '07911.123.456'],
  ])('holds a review with a phone number: %s', (body, phone) => {
    expect(autoModerate(review(body))).toEqual({
      status: 'PENDING',
      reason: `contains a phone number: ${JSON.stringify(phone)}`,
    });
  });

  it.each(['This is SHIT', 'what a fucking mess', 'Best casinos online', 'shitty build quality'])(
    'holds a review with a banned word: %s',
    (body) => {
      expect(autoModerate(review(body)).status).toBe('PENDING');
      expect(moderationReasons(review(body))[0]).toMatch(/^contains a banned word: "/);
    },
  );

  it('sees banned words written with full-width letters', () => {
    expect(moderationReasons(review('ｆｕｃｋ this'))).toEqual(['contains a banned word: "fuck"']);
  });

  it('looks at the title too', () => {
    expect(autoModerate(review('Fine product.', 'Visit www.spam.example')).status).toBe('PENDING');
  });

  it('holds a review written in capitals', () => {
    expect(autoModerate(review('THIS IS THE WORST PURCHASE I HAVE EVER MADE', 'TERRIBLE'))).toEqual({
      status: 'PENDING',
      reason: 'is written in capitals',
    });
  });

  it('lets short capitals and a shouted title with a calm body through', () => {
    expect(autoModerate(review('OK', 'WOW')).status).toBe('APPROVED');
    expect(
      autoModerate(review('It broke after a week and support never answered my messages.', 'AVOID')).status,
    ).toBe('APPROVED');
  });

  it('names every reason at once', () => {
    expect(
      moderationReasons(review('CALL +1 555 123 4567 OR VISIT WWW.CHEAP.EXAMPLE FOR VIAGRA', 'BEST DEAL')),
    ).toEqual([
      'contains a link: "WWW.CHEAP.EXAMPLE"',
      'contains a phone number: "+1 555 123 4567"',
      'contains a banned word: "VIAGRA"',
      'is written in capitals',
    ]);
  });

  it('quotes long findings cut short', () => {
    const link = `https://example.test/${'a'.repeat(100)}`;
    expect(moderationReasons(review(link))).toEqual([`contains a link: "${link.slice(0, 40)}…"`]);
  });
});
