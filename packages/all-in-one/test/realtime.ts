// A real graphql-ws client for the realtime end-to-end tests: connect as someone, follow a contract
// subscription, and look at what arrived.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { eventually } from './helpers.ts';

export interface Followed<T> {
  /** Every `next` payload's data, in arrival order. */
  payloads: T[];
  /** Each payload's `extensions.realtime`, aligned with `payloads`. */
  events: ({ event: string | null; occurredAt: string | null } | undefined)[];
  /** The subscription's `error` (a refusal), if any. */
  errors: { message: string; extensions?: { code?: string } }[] | null;
  completed: boolean;
  /** Waits until a payload satisfies `predicate`; returns it. */
  until: (predicate: (payload: T) => boolean, timeoutMs?: number) => Promise<T>;
  /** Waits until the subscription ended (completed or errored). */
  ended: (timeoutMs?: number) => Promise<void>;
  stop: () => void;
}

export interface RealtimeConnection {
  client: Client;
  /** The close event, once the socket closed. */
  closed: () => { code: number; reason: string } | null;
  /** Resolves when the gateway acknowledged the connection (`connection_ack`). */
  connected: Promise<void>;
  follow: <T>(query: string, variables?: Record<string, unknown>) => Followed<T>;
  close: () => Promise<void>;
}

/** The gateway's WebSocket URL for its HTTP GraphQL URL. */
export const wsUrlOf = (gatewayUrl: string) => gatewayUrl.replace(/^http/, 'ws');

export function connect(gatewayUrl: string, token?: string): RealtimeConnection {
  let closeEvent: { code: number; reason: string } | null = null;
  let acknowledged: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => {
    acknowledged = resolve;
  });
  const client = createClient({
    url: wsUrlOf(gatewayUrl),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: {
      connected: () => acknowledged(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closeEvent = { code, reason: String(reason) };
      },
    },
  });
  return {
    client,
    closed: () => closeEvent,
    connected,
    follow<T>(query: string, variables: Record<string, unknown> = {}): Followed<T> {
      const followed: Followed<T> = {
        payloads: [],
        events: [],
        errors: null,
        completed: false,
        until: (predicate, timeoutMs = 10_000) =>
          eventually(async () => {
            if (followed.errors) throw new Error(`subscription failed: ${JSON.stringify(followed.errors)}`);
            return followed.payloads.find(predicate);
          }, timeoutMs),
        ended: (timeoutMs = 10_000) =>
          eventually(async () => (followed.completed || followed.errors ? true : undefined), timeoutMs).then(
            () => undefined,
          ),
        stop: () => unsubscribe(),
      };
      const unsubscribe = client.subscribe<T>(
        { query, variables },
        {
          next: (result) => {
            followed.payloads.push(result.data as T);
            followed.events.push(
              (result.extensions as { realtime?: Followed<T>['events'][number] } | undefined)?.realtime,
            );
          },
          error: (error) => {
            followed.errors = Array.isArray(error)
              ? (error as Followed<T>['errors'])
              : [{ message: error instanceof Error ? error.message : JSON.stringify(error) }];
          },
          complete: () => {
            followed.completed = true;
          },
        },
      );
      return followed;
    },
    close: () => client.dispose() as Promise<void>,
  };
}
