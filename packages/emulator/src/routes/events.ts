/**
 * `GET /v1/events` and `GET /v1/events/:id` (reference §4.1): `type` (one name or a `*` group) or
 * `types[]` (up to 20 exact names) but not both, `created` ranges, `delivery_success`, newest first.
 *
 * `delivery_success=false` returns events still owed a 2xx by some endpoint (pending or failed all
 * attempts); `true` returns events no endpoint is owed, including events that matched no endpoint —
 * Stripe's treatment of the latter is not documented.
 */
import { invalidParam, resourceMissing } from '../api-error.js';
import type { EmulatorContext } from '../context.js';
import { typePatternMatcher } from '../event-types.js';
import { PAGE_PARAM_NAMES, paginate, readCreatedFilter, readPageParams } from '../list-page.js';
import { assertKnownParams, optionalBoolean, optionalString, optionalStringArray } from '../params.js';
import { type Router, json } from '../router.js';

export function registerEventRoutes(router: Router, ctx: EmulatorContext): void {
  router.add('GET', '/v1/events', (request) => {
    const { params } = request;
    assertKnownParams(params, ['type', 'types', 'created', 'delivery_success', ...PAGE_PARAM_NAMES]);
    const page = readPageParams(params);
    const created = readCreatedFilter(params);
    const type = optionalString(params, 'type');
    const types = optionalStringArray(params, 'types');
    if (type !== undefined && types !== undefined) {
      throw invalidParam('types', 'You may only specify one of these parameters: type, types.');
    }
    if (types !== undefined && types.length > 20)
      throw invalidParam('types', 'You may pass at most 20 types.');
    const matchesType =
      type !== undefined
        ? typePatternMatcher(type)
        : types !== undefined
          ? (t: string) => types.includes(t)
          : () => true;
    const deliverySuccess = optionalBoolean(params, 'delivery_success');
    const matching = ctx.state
      .eventsNewestFirst()
      .filter(
        ({ event }) =>
          matchesType(event.type) &&
          created(event.created) &&
          (deliverySuccess === undefined || (event.pending_webhooks === 0) === deliverySuccess),
      );
    const listed = paginate(
      matching,
      page,
      '/v1/events',
      (r) => r.seq,
      (id) => ctx.state.events.get(id)?.seq,
      'event',
    );
    return json({ ...listed, data: listed.data.map((r) => structuredClone(r.event)) });
  });

  router.add('GET', '/v1/events/:id', (request) => {
    const record = ctx.state.events.get(request.pathParams.id!);
    if (!record) throw resourceMissing('event', request.pathParams.id!);
    return json(structuredClone(record.event));
  });
}
