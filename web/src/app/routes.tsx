import type { ComponentType } from 'preact';
import { ROLES, type Role, STAFF } from '../auth/roles.ts';
import { AboutScreen } from './about.screen.tsx';
import { HomeScreen } from './home.screen.tsx';

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

export const ROUTES: ConsoleRoute[] = [
  // --- shell ---
  { path: '/', title: 'Home', roles: [...ROLES], nav: true, component: HomeScreen },
  { path: '/about', title: 'About the API', roles: STAFF, nav: true, component: AboutScreen },

  // --- agent (agents) ---

  // --- manager (backoffice) ---

  // --- marketer (backoffice) ---

  // --- portal (customers) ---
];

/** The routes a role may open. */
export const routesFor = (role: Role) => ROUTES.filter((route) => route.roles.includes(role));
