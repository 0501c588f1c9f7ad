/** What the sandbox does when a card is authorized. */
export type CardBehaviour = 'authorize' | 'decline' | 'unavailable';

export interface TestCard {
  token: string;
  brand: string;
  last4: string;
  behaviour: CardBehaviour;
}

/**
 * The test tokens of the client contract. All four are valid cards (so `GET /v1/payment-methods/:token`
 * knows them); `tok_declined` and `tok_unavailable` misbehave only when authorized.
 */
export const TEST_CARDS: readonly TestCard[] = [
  { token: 'tok_visa', brand: 'visa', last4: '4242', behaviour: 'authorize' },
  { token: 'tok_mastercard', brand: 'mastercard', last4: '4444', behaviour: 'authorize' },
  { token: 'tok_declined', brand: 'visa', last4: '0002', behaviour: 'decline' },
  { token: 'tok_unavailable', brand: 'visa', last4: '0019', behaviour: 'unavailable' },
];

const byToken = new Map(TEST_CARDS.map((card) => [card.token, card]));

export function findCard(token: string): TestCard | undefined {
  return byToken.get(token);
}
