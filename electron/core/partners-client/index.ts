import {
  LIST_LIMIT_MAX,
  createdPartnerSchema,
  pageSchema,
  partnerSchema,
  type CreatePartnerValues,
  type Partner,
} from '../../../shared/api';
import { CoreError } from '../errors';
import { callApi, type HttpOptions } from './http';

export { ANTHROPIC_VERSION, DEFAULT_TIMEOUT_MS, type HttpOptions } from './http';

const partnerPage = pageSchema(partnerSchema);

/** Typed client for any server speaking the Partners API (ours, embedded or standalone, or another). */
export class PartnersClient {
  constructor(private readonly options: HttpOptions = {}) {}

  /** One cheap authenticated call: proves the URL is a Partners API and the key is accepted. */
  async checkAccess(baseUrl: string, adminKey: string): Promise<void> {
    try {
      await callApi({ baseUrl, adminKey, method: 'GET', path: '/v1/partners?limit=1', answer: partnerPage }, this.options);
    } catch (error) {
      // A 404 on the list itself means the URL points at something else, not at a missing partner.
      if (error instanceof CoreError && error.code === 'not_found') {
        throw new CoreError(
          'invalid_input',
          `${new URL(baseUrl).host} does not look like a Partners API server (GET /v1/partners answered 404). Check the URL.`,
          { field: 'baseUrl', status: 404 },
        );
      }
      throw error;
    }
  }

  /** Every partner, newest first, following `after_id` pages of the largest size the API allows. */
  async listAllPartners(baseUrl: string, adminKey: string): Promise<Partner[]> {
    const all: Partner[] = [];
    const seen = new Set<string>();
    let afterId: string | null = null;
    for (;;) {
      const query = new URLSearchParams({ limit: String(LIST_LIMIT_MAX) });
      if (afterId) query.set('after_id', afterId);
      const page = await callApi(
        { baseUrl, adminKey, method: 'GET', path: `/v1/partners?${query.toString()}`, answer: partnerPage },
        this.options,
      );
      all.push(...page.data);
      if (!page.has_more || !page.last_id) return all;
      // A server that hands back a cursor it already gave would otherwise loop forever.
      if (seen.has(page.last_id)) {
        throw new CoreError('server_error', 'The server repeated a page while listing partners.');
      }
      seen.add(page.last_id);
      afterId = page.last_id;
    }
  }

  /** Creates a partner; the answer's `api_key` is the only time the new key is ever visible. */
  async createPartner(
    baseUrl: string,
    adminKey: string,
    body: CreatePartnerValues,
  ): Promise<{ partner: Partner; apiKey: string }> {
    const created = await callApi(
      { baseUrl, adminKey, method: 'POST', path: '/v1/partners', body, answer: createdPartnerSchema },
      this.options,
    );
    const { api_key: apiKey, ...partner } = created;
    return { partner, apiKey };
  }
}
