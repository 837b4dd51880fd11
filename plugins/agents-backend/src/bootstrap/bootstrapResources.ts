import { LoggerService } from '@backstage/backend-plugin-api';
import { FieldError, validateResource } from '@krate/plugin-agents-common';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ParsedYamlDocument,
  parseYamlDocuments,
} from '../service/input/parseYamlDocuments';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';

const ACTOR = 'service:agents-bootstrap';
const MAX_DOCUMENTS_PER_FILE = 1000;

function yamlFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) {
    return [path];
  }
  return readdirSync(path)
    .filter(name => /\.ya?ml$/.test(name))
    .sort()
    .map(name => join(path, name));
}

function validationErrors(value: unknown): FieldError[] {
  const validation = validateResource(value);
  return validation.valid ? [] : validation.errors;
}

/**
 * Creates the resources in the configured YAML files or folders that do not exist yet, so an
 * embedded portal starts with its examples. Existing objects are never overwritten: once seeded,
 * the database is the source of truth. Unreadable or invalid documents are logged and skipped.
 */
export async function bootstrapResources(options: {
  paths: string[];
  store: ResourceStore;
  logger: LoggerService;
}): Promise<{ created: number; existing: number; skipped: number }> {
  const { paths, store, logger } = options;
  const counts = { created: 0, existing: 0, skipped: 0 };
  for (const path of paths.map(p => resolve(p))) {
    let files: string[];
    try {
      files = yamlFiles(path);
    } catch (error) {
      logger.error(`Cannot read agents bootstrap path ${path}: ${error}`);
      counts.skipped++;
      continue;
    }
    for (const file of files) {
      let documents: ParsedYamlDocument[];
      try {
        documents = parseYamlDocuments(readFileSync(file, 'utf8'), {
          maxDocuments: MAX_DOCUMENTS_PER_FILE,
        });
      } catch (error) {
        logger.error(`Skipping ${file}: ${error}`);
        counts.skipped++;
        continue;
      }
      for (const [index, doc] of documents.entries()) {
        const problems = doc.errors ?? validationErrors(doc.value);
        if (problems.length > 0) {
          logger.error(
            `Skipping document ${index} of ${file}: ${problems
              .map(e => (e.path ? `${e.path}: ${e.message}` : e.message))
              .join('; ')}`,
          );
          counts.skipped++;
          continue;
        }
        const object = doc.value as StoredResource;
        const { kind, metadata } = object;
        try {
          if (await store.get(kind, metadata.namespace, metadata.name)) {
            counts.existing++;
            continue;
          }
          await store.create(object, { actor: ACTOR });
          counts.created++;
        } catch (error) {
          // A cluster that does not answer (Kubernetes mode) must not stop the backend.
          logger.error(
            `Cannot create document ${index} of ${file} (${kind} ${metadata.namespace}/${metadata.name}): ${error}`,
          );
          counts.skipped++;
        }
      }
    }
  }
  return counts;
}
