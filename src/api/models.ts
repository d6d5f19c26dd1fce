// Reads a model list in the shapes servers use for `GET /models`.
import type { ModelInfo } from './types';

function modelOf(entry: unknown): ModelInfo | undefined {
  if (typeof entry === 'string') return entry ? { id: entry } : undefined;
  if (entry === null || typeof entry !== 'object') return undefined;
  const record = entry as { id?: unknown; name?: unknown; model?: unknown; owned_by?: unknown };
  const id = [record.id, record.name, record.model].find(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  if (id === undefined) return undefined;
  const model: ModelInfo = typeof record.owned_by === 'string' ? { id, ownedBy: record.owned_by } : { id };
  const contextWindow = contextWindowOf(entry);
  if (contextWindow !== undefined) model.contextWindow = contextWindow;
  if (takesImagesOf(entry)) model.imageInput = true;
  return model;
}

/** A token count as servers write it: a positive integer, possibly as a string; anything else is not one. */
function tokenCount(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

function recordAt(value: unknown, key: string): Record<string, unknown> | undefined {
  const inner = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>) : undefined;
}

/**
 * The context window a `/models` entry reports, in the first field found: what the server runs
 * with before what the model supports — vLLM `max_model_len`, llama.cpp `n_ctx` (top level or in
 * `meta`), LM Studio `loaded_context_length` then `max_context_length`, OpenRouter, Together and
 * Fireworks `context_length` (OpenRouter also `top_provider.context_length`), Groq `context_window`,
 * and last llama.cpp's `meta.n_ctx_train` (what it was trained with; the server may run with less).
 */
export function contextWindowOf(entry: unknown): number | undefined {
  if (entry === null || typeof entry !== 'object') return undefined;
  const record = entry as Record<string, unknown>;
  const meta = recordAt(record, 'meta');
  const candidates = [
    record.max_model_len,
    record.n_ctx,
    meta?.n_ctx,
    record.loaded_context_length,
    record.max_context_length,
    record.context_length,
    recordAt(record, 'top_provider')?.context_length,
    record.context_window,
    meta?.n_ctx_train,
  ];
  for (const candidate of candidates) {
    const count = tokenCount(candidate);
    if (count !== undefined) return count;
  }
  return undefined;
}

const IMAGE_INPUT = /^(image|vision|multimodal)$/i;

function namesImages(value: unknown): boolean {
  return Array.isArray(value) && value.some((item) => typeof item === 'string' && IMAGE_INPUT.test(item));
}

/**
 * Whether a `/models` entry says the model reads images: OpenRouter's `architecture.input_modalities`
 * (or its older `architecture.modality`, "text+image->text"), a top-level `input_modalities`, LM
 * Studio's `type: "vlm"`, or `capabilities` naming vision (Ollama) or multimodal (llama.cpp with a
 * projector loaded). Servers that say nothing (vLLM, OpenAI) are taken at their silence: text only.
 */
export function takesImagesOf(entry: unknown): boolean {
  if (entry === null || typeof entry !== 'object') return false;
  const record = entry as Record<string, unknown>;
  const architecture = recordAt(record, 'architecture');
  const modality = architecture?.modality;
  return (
    namesImages(architecture?.input_modalities) ||
    (typeof modality === 'string' && /image.*->/.test(modality)) ||
    namesImages(record.input_modalities) ||
    record.type === 'vlm' ||
    namesImages(record.capabilities)
  );
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
  let siblings: unknown[] = [];
  if (Array.isArray(value)) list = value;
  else if (value !== null && typeof value === 'object') {
    const record = value as { data?: unknown; models?: unknown };
    list = Array.isArray(record.data) ? record.data : record.models;
    // llama.cpp lists each model twice, its capabilities only in the Ollama-style `models` entry.
    if (list === record.data && Array.isArray(record.models)) siblings = record.models as unknown[];
  }
  if (!Array.isArray(list)) return undefined;
  const models: ModelInfo[] = [];
  for (const entry of list) {
    const model = modelOf(entry);
    if (model === undefined) continue;
    if (siblings.some((sibling) => modelOf(sibling)?.id === model.id && takesImagesOf(sibling)))
      model.imageInput = true;
    models.push(model);
  }
  return models;
}
