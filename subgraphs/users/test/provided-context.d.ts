// The root test/global-setup.ts provides this value and declares its type, but that file is outside this
// package's tsconfig; without this, `inject('postgresAdminUrl')` does not typecheck here.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}
