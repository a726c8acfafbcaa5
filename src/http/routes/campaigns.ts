import { Router, type Request, type Response } from 'express';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { CampaignLifecycleAction, CampaignsDependencies } from '../campaigns-dependencies.ts';
import { requestContextOf } from '../context.ts';
import { receiveCsvUpload } from '../csv-upload.ts';
import { HttpError, methodNotAllowed } from '../errors.ts';
import { campaignContactsQuery, listCampaignsQuery } from '../schemas/campaign-queries.ts';
import { jsonCampaignBody, zensCallCampaignFields, type CampaignRequest } from '../schemas/campaigns.ts';
import { isDryRun } from '../schemas/dry-run.ts';
import { campaignContactView, campaignView } from '../views/campaigns.ts';
import { importReportView, pagination } from '../views/contacts.ts';

/**
 * /api/v1/campaigns: create a campaign (OutboundCalls.ai's JSON naming a contact list, or
 * ZensCall's multipart with a CSV of numbers), read its status and its contacts, and move it
 * through its lifecycle. Every request is checked whole before deps.campaigns is called, so a
 * refusal leaves nothing behind; reads are scoped to the caller's tenant.
 */

export const CAMPAIGNS_PATH = '/api/v1/campaigns';

/** ZensCall's CSV part; `file` is taken too, as the contacts import names it. */
const CSV_PART = 'csv_file';
/** The text parts a multipart create may carry: exactly what the schema knows. */
const ZENSCALL_FIELDS = Object.keys(zensCallCampaignFields.in.shape);

const LIFECYCLE: readonly CampaignLifecycleAction[] = ['start', 'pause', 'resume', 'cancel'];

export const campaignNotFound = () => new NotFoundError('CAMPAIGN_NOT_FOUND', 'No campaign with this id exists in your account.');

export function campaignsFeatureOf(deps: { campaigns?: CampaignsDependencies }): CampaignsDependencies {
  if (!deps.campaigns) throw new HttpError(404, 'NOT_FOUND', 'Campaigns are not enabled');
  return deps.campaigns;
}

async function create(campaigns: CampaignsDependencies, req: Request, res: Response): Promise<void> {
  const ctx = requestContextOf(res);
  // Read before the upload, so a bad flag is refused before the file is.
  const dryRun = isDryRun(req);
  if (req.is('multipart/form-data')) {
    const upload = await receiveCsvUpload(req, { maxFileBytes: campaigns.maxCsvBytes, fields: ZENSCALL_FIELDS, fileField: CSV_PART });
    const request = zensCallCampaignFields.parse(upload.fields);
    if (dryRun) return preview(campaigns, res, request, upload.file);
    const created = await campaigns.create(ctx, request, upload.file);
    const body = { ...campaignView(created.campaign), ...(created.import ? { import: importReportView(created.import) } : {}) };
    res.status(201).location(`${CAMPAIGNS_PATH}/${created.campaign.campaignId}`).json(body);
    return;
  }
  const request = jsonCampaignBody.parse(req.body ?? {});
  if (dryRun) return preview(campaigns, res, request, null);
  const created = await campaigns.create(ctx, request, null);
  res.status(201).location(`${CAMPAIGNS_PATH}/${created.campaign.campaignId}`).json(campaignView(created.campaign));
}

/** `?dry_run=true`: 200 with what the create would import, and nothing written. */
async function preview(campaigns: CampaignsDependencies, res: Response, request: CampaignRequest, csv: Uint8Array | null): Promise<void> {
  const previewed = await campaigns.preview(requestContextOf(res), request, csv);
  res.status(200).json({ dry_run: true, import: previewed.import ? importReportView(previewed.import) : null });
}

export function campaignsRouter(deps: { campaigns?: CampaignsDependencies }): Router {
  const router = Router();

  router
    .route('/')
    .post(async (req, res) => create(campaignsFeatureOf(deps), req, res))
    .get(async (req, res) => {
      const campaigns = campaignsFeatureOf(deps);
      const query = listCampaignsQuery.parse(req.query);
      const { rows, total } = await campaigns.list(requestContextOf(res).principal.tenantId, query);
      res.json({ data: rows.map(campaignView), pagination: pagination(query.page, query.perPage, total) });
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/:id')
    .get(async (req, res) => {
      const found = await campaignsFeatureOf(deps).get(requestContextOf(res).principal.tenantId, req.params.id);
      if (!found) throw campaignNotFound();
      res.json(campaignView(found));
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/:id/contacts')
    .get(async (req, res) => {
      const campaigns = campaignsFeatureOf(deps);
      const query = campaignContactsQuery.parse(req.query);
      const found = await campaigns.contacts(requestContextOf(res).principal.tenantId, req.params.id, query);
      if (!found) throw campaignNotFound();
      res.json({ data: found.rows.map(campaignContactView), pagination: pagination(query.page, query.perPage, found.total) });
    })
    .all(methodNotAllowed(['GET']));

  for (const action of LIFECYCLE) {
    router
      .route(`/:id/${action}`)
      .post(async (req, res) => {
        const campaign = await campaignsFeatureOf(deps).transition(requestContextOf(res), req.params.id, action);
        res.json(campaignView(campaign));
      })
      .all(methodNotAllowed(['POST']));
  }

  return router;
}
