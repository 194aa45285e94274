/**
 * `GET /v1beta/models` body for Gemini clients (`models.list()` in @google/genai reads
 * `models[]` and `nextPageToken`). Every model is offered for generateContent,
 * streamGenerateContent and countTokens.
 */
export interface GeminiModelEntry {
  id: string;
  displayName?: string;
}

export interface GeminiModelList {
  models: Array<{
    name: string;
    baseModelId: string;
    version: string;
    displayName: string;
    description: string;
    supportedGenerationMethods: string[];
  }>;
}

export function encodeModelList(models: readonly GeminiModelEntry[]): GeminiModelList {
  return {
    models: models.map((m) => ({
      name: `models/${m.id}`,
      baseModelId: m.id,
      version: '001',
      displayName: m.displayName ?? m.id,
      description: `${m.displayName ?? m.id} via APIProxy`,
      supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
    })),
  };
}
