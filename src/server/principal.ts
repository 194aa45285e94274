/** Who is calling: the client key (or the ADMIN_API_KEY superuser) and what it may use. */
export interface Principal {
  kind: 'client-key' | 'admin-token';
  /** api_keys.id; null for the ADMIN_API_KEY */
  keyId: string | null;
  userId: string | null;
  name: string;
  /** null = every provider / model */
  allowedProviders: ReadonlySet<string> | null;
  allowedModels: ReadonlySet<string> | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  budgetUsd: number | null;
  budgetPeriod: 'total' | 'day' | 'month' | null;
}

export function mayUseProvider(p: Principal, providerId: string): boolean {
  return p.allowedProviders === null || p.allowedProviders.has(providerId);
}

export function mayUseModel(p: Principal, model: string): boolean {
  return p.allowedModels === null || p.allowedModels.has(model);
}
