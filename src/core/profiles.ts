// Endpoint profiles: named sets of endpoint settings (`streamChat.profiles`) beside the default one,
// which is today's settings themselves. Parsed here, in plain Node: what a profile may hold, which
// entries are refused and why. Keys never live in a profile: they stay in secret storage, per origin.

/** The profile made of the plain settings (`streamChat.baseUrl`, `streamChat.model`, …). */
export const DEFAULT_PROFILE_NAME = 'Default';

export interface Profile {
  name: string;
  baseUrl: string;
  model?: string;
  headers?: Record<string, unknown>;
  contextWindow?: number;
  temperature?: number;
  maxTokens?: number;
  systemPrompt?: string;
}

export interface ParsedProfiles {
  profiles: Profile[];
  /** Entries left out, each with why (for the log). */
  problems: string[];
}

/** The user's `streamChat.profiles`: entries that are not a usable profile are left out, with the reason. */
export function parseProfiles(raw: unknown): ParsedProfiles {
  const parsed: ParsedProfiles = { profiles: [], problems: [] };
  if (raw === undefined || raw === null) return parsed;
  if (!Array.isArray(raw)) {
    parsed.problems.push('streamChat.profiles is not a list: no profiles are used');
    return parsed;
  }
  const seen = new Set<string>([DEFAULT_PROFILE_NAME.toLowerCase()]);
  raw.forEach((entry: unknown, index) => {
    const where = `streamChat.profiles[${index}]`;
    const profile = parseProfile(entry);
    if (typeof profile === 'string') {
      parsed.problems.push(`${where}: ${profile}`);
      return;
    }
    const key = profile.name.toLowerCase();
    if (seen.has(key)) {
      parsed.problems.push(`${where}: the name "${profile.name}" is taken (names are compared ignoring case)`);
      return;
    }
    seen.add(key);
    parsed.profiles.push(profile);
  });
  return parsed;
}

/** The profile, or why it cannot be one. */
function parseProfile(entry: unknown): Profile | string {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'not an object';
  const fields = entry as Record<string, unknown>;
  const name = typeof fields.name === 'string' ? fields.name.trim() : '';
  if (name === '') return 'has no name';
  if (name.includes('/')) return `the name "${name}" contains "/"`;
  if (typeof fields.baseUrl !== 'string' || fields.baseUrl.trim() === '') return `"${name}" has no baseUrl`;
  const profile: Profile = { name, baseUrl: fields.baseUrl.trim() };
  if (typeof fields.model === 'string' && fields.model.trim() !== '') profile.model = fields.model.trim();
  if (typeof fields.headers === 'object' && fields.headers !== null && !Array.isArray(fields.headers))
    profile.headers = fields.headers as Record<string, unknown>;
  if (isPositiveInteger(fields.contextWindow)) profile.contextWindow = fields.contextWindow;
  if (isPositiveInteger(fields.maxTokens)) profile.maxTokens = fields.maxTokens;
  if (typeof fields.temperature === 'number' && fields.temperature >= 0 && fields.temperature <= 2)
    profile.temperature = fields.temperature;
  if (typeof fields.systemPrompt === 'string') profile.systemPrompt = fields.systemPrompt;
  return profile;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/** The profile called `name` (ignoring case); undefined for the default profile or a name no profile has. */
export function findProfile(profiles: readonly Profile[], name: string | undefined): Profile | undefined {
  if (name === undefined || isDefaultProfile(name)) return undefined;
  const key = name.trim().toLowerCase();
  return profiles.find((profile) => profile.name.toLowerCase() === key);
}

export function isDefaultProfile(name: string | undefined): boolean {
  return name === undefined || name.trim() === '' || name.trim().toLowerCase() === DEFAULT_PROFILE_NAME.toLowerCase();
}
