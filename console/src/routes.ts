import type { ComponentType } from 'preact';
import type { Area } from './auth/credentials.ts';
import { ApiKeysPage } from './pages/api-keys.tsx';
import { AudioPage } from './pages/audio.tsx';
import { BillingPage } from './pages/billing.tsx';
import { CallDetailPage } from './pages/call-detail.tsx';
import { CallsPage } from './pages/calls.tsx';
import { CampaignDetailPage } from './pages/campaign-detail.tsx';
import { CampaignsPage } from './pages/campaigns.tsx';
import { ContactListDetailPage } from './pages/contact-list-detail.tsx';
import { ContactListsPage } from './pages/contact-lists.tsx';
import { ContactsPage } from './pages/contacts.tsx';
import { DncPage } from './pages/dnc.tsx';
import { NewCampaignPage } from './pages/new-campaign.tsx';
import { OperatorAuditPage } from './pages/operator-audit.tsx';
import { OperatorHealthPage } from './pages/operator-health.tsx';
import { OperatorRatePlansPage } from './pages/operator-rate-plans.tsx';
import { OperatorTenantsPage } from './pages/operator-tenants.tsx';
import { PlaceCallPage } from './pages/place-call.tsx';
import { UsersPage } from './pages/users.tsx';
import { WebhookDetailPage } from './pages/webhook-detail.tsx';
import { WebhooksPage } from './pages/webhooks.tsx';

/**
 * Every page of the console, in navigation order. `area` decides who sees it: tenant pages need a
 * tenant's login or key, operator pages the operator key (and the API refuses the other anyway).
 * `nav` is the label in the side navigation; pages without one are reached from a list.
 */
export type PageProps = { params: Record<string, string> };

export type RouteEntry = { path: string; area: Area; component: ComponentType<PageProps>; nav?: string };

export const ROUTES: readonly RouteEntry[] = [
  { path: '/calls', area: 'tenant', component: CallsPage, nav: 'Calls' },
  { path: '/calls/new', area: 'tenant', component: PlaceCallPage, nav: 'Place a call' },
  { path: '/calls/:id', area: 'tenant', component: CallDetailPage },
  { path: '/audio', area: 'tenant', component: AudioPage, nav: 'Audio library' },
  { path: '/campaigns', area: 'tenant', component: CampaignsPage, nav: 'Campaigns' },
  { path: '/campaigns/new', area: 'tenant', component: NewCampaignPage },
  { path: '/campaigns/:id', area: 'tenant', component: CampaignDetailPage },
  { path: '/contacts', area: 'tenant', component: ContactsPage, nav: 'Contacts' },
  { path: '/lists', area: 'tenant', component: ContactListsPage, nav: 'Contact lists' },
  { path: '/lists/:id', area: 'tenant', component: ContactListDetailPage },
  { path: '/dnc', area: 'tenant', component: DncPage, nav: 'Do not call' },
  { path: '/billing', area: 'tenant', component: BillingPage, nav: 'Balance and usage' },
  { path: '/api-keys', area: 'tenant', component: ApiKeysPage, nav: 'API keys' },
  { path: '/users', area: 'tenant', component: UsersPage, nav: 'Users' },
  { path: '/webhooks', area: 'tenant', component: WebhooksPage, nav: 'Webhooks' },
  { path: '/webhooks/:id', area: 'tenant', component: WebhookDetailPage },
  { path: '/operator/tenants', area: 'operator', component: OperatorTenantsPage, nav: 'Tenants' },
  { path: '/operator/rate-plans', area: 'operator', component: OperatorRatePlansPage, nav: 'Rate plans' },
  { path: '/operator/health', area: 'operator', component: OperatorHealthPage, nav: 'Health' },
  { path: '/operator/audit', area: 'operator', component: OperatorAuditPage, nav: 'Verify and audit' },
];

export const HOME: Record<Area, string> = { tenant: '/calls', operator: '/operator/tenants' };

/** The first route that matches, static segments before parameters (`/calls/new` before `/calls/:id`). */
export function findRoute(path: string, match: (pattern: string, path: string) => Record<string, string> | null): { route: RouteEntry; params: Record<string, string> } | null {
  for (const route of ROUTES) {
    const params = match(route.path, path);
    if (params) return { route, params };
  }
  return null;
}
