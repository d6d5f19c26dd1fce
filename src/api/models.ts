// Reads a model list in the shapes servers use for `GET /models`.
import type { ModelInfo } from './types';

function modelOf(entry: unknown): ModelInfo | undefined {
  if (typeof entry === 'string') return entry ? { id: entry } : undefined;
  if (entry === null || typeof entry !== 'object') return undefined;
  const record = entry as { id?: unknown; name?: unknown; model?: unknown; owned_by?: unknown };
  const id = [record.id, record.name, record.model].find((value): value is string => typeof value === 'string' && value !== '');
  if (id === undefined) return undefined;
  return typeof record.owned_by === 'string' ? { id, ownedBy: record.owned_by } : { id };
}

/**
 * OpenAI `{"data":[{"id","owned_by"}]}`, Ollama-style `{"models":[{"name"}]}`, or a bare array.
 * Undefined when the body is not a model list at all.
 */
export function modelsFromBody(text: string): ModelInfo[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  let list: unknown;
  if (Array.isArray(value)) list = value;
  else if (value !== null && typeof value === 'object') {
    const record = value as { data?: unknown; models?: unknown };
    list = Array.isArray(record.data) ? record.data : record.models;
  }
  if (!Array.isArray(list)) return undefined;
  const models: ModelInfo[] = [];
  for (const entry of list) {
    const model = modelOf(entry);
    if (model) models.push(model);
  }
  return models;
}
