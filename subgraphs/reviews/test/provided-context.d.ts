// The root test/global-setup.ts provides this value and declares it there, but that file is outside
// this package's tsconfig; repeating the (identical) declaration lets `tsc -p subgraphs/reviews` see it.
export {};

declare module 'vitest' {
  interface ProvidedContext {
    postgresAdminUrl: string;
  }
}
