import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, print, type OperationDefinitionNode } from 'graphql';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The client contract lives beside the repository (../shared/contract), as on every clone. */
export const CONTRACT_DIR = process.env.CONTRACT_DIR ?? path.resolve(repoRoot, '..', 'shared', 'contract');

let cache: Map<string, string> | undefined;

/** Every operation of the contract by name, printed as its own document, exactly as clients send it. */
export function contractOperations(): Map<string, string> {
  if (cache) return cache;
  const operations = new Map<string, string>();
  const files = readdirSync(CONTRACT_DIR).filter((f) => f.endsWith('.graphql'));
  if (files.length === 0) throw new Error(`No contract operations found in ${CONTRACT_DIR}`);
  for (const file of files) {
    const document = parse(readFileSync(path.join(CONTRACT_DIR, file), 'utf8'));
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) {
        operations.set(definition.name.value, print(definition as OperationDefinitionNode));
      }
    }
  }
  cache = operations;
  return operations;
}

export function contractOperation(name: string): string {
  const operation = contractOperations().get(name);
  if (!operation) throw new Error(`The contract has no operation named ${name} (in ${CONTRACT_DIR})`);
  return operation;
}
