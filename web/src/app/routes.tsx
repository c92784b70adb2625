import type { ComponentType } from 'preact';
import { ROLES, type Role, STAFF } from '../auth/roles.ts';
import { AboutScreen } from './about.screen.tsx';
import { HomeScreen } from './home.screen.tsx';
import { lazyScreen } from './lazy-screen.tsx';

// Every screen of the console, in one table: its hash path (wouter patterns, ":id" parameters),
// its title, the roles that may open it (the router refuses the others: never the screen), and
// whether it shows in the navigation. Each area adds its lines in its own block below.

export interface ScreenProps {
  /** The path's parameters (":caseId" -> params.caseId). */
  params: Record<string, string | undefined>;
}

export interface ConsoleRoute {
  path: string;
  title: string;
  roles: Role[];
  nav?: boolean;
  component: ComponentType<ScreenProps>;
}

/** agent: the case and customer desk, for the roles the API lets work cases. */
const AGENT_DESK: Role[] = ['agent', 'manager', 'admin'];

export const ROUTES: ConsoleRoute[] = [
  // --- shell ---
  { path: '/', title: 'Home', roles: [...ROLES], nav: true, component: HomeScreen },
  { path: '/about', title: 'About the API', roles: STAFF, nav: true, component: AboutScreen },

  // --- agent (agents) ---
  { path: '/inbox', title: 'Case inbox', roles: AGENT_DESK, nav: true, component: lazyScreen(() => import('../screens/agent/case-inbox.screen.tsx'), 'CaseInboxScreen') },
  { path: '/inbox/:queue', title: 'Case inbox', roles: AGENT_DESK, component: lazyScreen(() => import('../screens/agent/case-inbox.screen.tsx'), 'CaseInboxScreen') },
  { path: '/cases/:caseId', title: 'Case', roles: AGENT_DESK, component: lazyScreen(() => import('../screens/agent/case.screen.tsx'), 'CaseScreen') },
  { path: '/customers', title: 'Customers', roles: AGENT_DESK, nav: true, component: lazyScreen(() => import('../screens/agent/customer-search.screen.tsx'), 'CustomerSearchScreen') },
  { path: '/customers/:customerId', title: 'Customer', roles: AGENT_DESK, component: lazyScreen(() => import('../screens/agent/customer-360.screen.tsx'), 'Customer360Screen') },

  // --- manager (backoffice): the API's REPORTS roles ---
  { path: '/manager/sla', title: 'SLA report', roles: ['manager', 'admin'], nav: true, component: lazyScreen(() => import('../screens/manager/sla-report.screen.tsx'), 'SlaReportScreen') },
  { path: '/manager/sla-policy', title: 'SLA policy', roles: ['manager', 'admin'], nav: true, component: lazyScreen(() => import('../screens/manager/sla-policy.screen.tsx'), 'SlaPolicyScreen') },
  { path: '/manager/queues', title: 'Queue members', roles: ['manager', 'admin'], nav: true, component: lazyScreen(() => import('../screens/manager/queue-members.screen.tsx'), 'QueueMembersScreen') },

  // --- marketer (backoffice): the API's MARKETING roles ---
  { path: '/marketer/topics', title: 'Topics', roles: ['marketer', 'admin'], nav: true, component: lazyScreen(() => import('../screens/marketer/topics.screen.tsx'), 'TopicsScreen') },
  { path: '/marketer/segments', title: 'Segments', roles: ['marketer', 'admin'], nav: true, component: lazyScreen(() => import('../screens/marketer/segments.screen.tsx'), 'SegmentsScreen') },
  { path: '/marketer/segments/new', title: 'New segment', roles: ['marketer', 'admin'], component: lazyScreen(() => import('../screens/marketer/segment-editor.screen.tsx'), 'SegmentEditorScreen') },
  { path: '/marketer/segments/:id', title: 'Segment', roles: ['marketer', 'admin'], component: lazyScreen(() => import('../screens/marketer/segment-editor.screen.tsx'), 'SegmentEditorScreen') },
  { path: '/marketer/campaigns', title: 'Campaigns', roles: ['marketer', 'admin'], nav: true, component: lazyScreen(() => import('../screens/marketer/campaigns.screen.tsx'), 'CampaignsScreen') },
  { path: '/marketer/campaigns/new', title: 'New campaign', roles: ['marketer', 'admin'], component: lazyScreen(() => import('../screens/marketer/campaign-new.screen.tsx'), 'CampaignNewScreen') },
  { path: '/marketer/campaigns/:id', title: 'Campaign', roles: ['marketer', 'admin'], component: lazyScreen(() => import('../screens/marketer/campaign.screen.tsx'), 'CampaignScreen') },
  { path: '/marketer/email', title: 'Send an email', roles: ['marketer', 'admin'], nav: true, component: lazyScreen(() => import('../screens/marketer/email.screen.tsx'), 'EmailScreen') },

  // --- portal (customers) ---
  { path: '/me/profile', title: 'My profile', roles: ['customer'], nav: true, component: lazyScreen(() => import('../screens/portal/profile.screen.tsx'), 'ProfileScreen') },
  { path: '/me/cases', title: 'My cases', roles: ['customer'], nav: true, component: lazyScreen(() => import('../screens/portal/my-cases.screen.tsx'), 'MyCasesScreen') },
  { path: '/me/cases/new', title: 'Open a case', roles: ['customer'], component: lazyScreen(() => import('../screens/portal/open-case.screen.tsx'), 'OpenCaseScreen') },
  { path: '/me/cases/:caseId', title: 'My case', roles: ['customer'], component: lazyScreen(() => import('../screens/portal/my-case.screen.tsx'), 'MyCaseScreen') },
  { path: '/me/preferences', title: 'Email preferences', roles: ['customer'], nav: true, component: lazyScreen(() => import('../screens/portal/preferences.screen.tsx'), 'PreferencesScreen') },
  { path: '/me/data', title: 'My data', roles: ['customer'], nav: true, component: lazyScreen(() => import('../screens/portal/my-data.screen.tsx'), 'MyDataScreen') },
];

/** The routes a role may open. */
export const routesFor = (role: Role) => ROUTES.filter((route) => route.roles.includes(role));
