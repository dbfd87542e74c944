/**
 * Every page of the console, in navigation order. A new page is one file in this folder and one line
 * here; the router, the navigation and the role checks pick it up.
 */
import type { ConsolePage } from '../page.js';
import { overviewPage } from './overview.js';
import { subjectsPage } from './subjects.js';

export const PAGES: readonly ConsolePage[] = [overviewPage, subjectsPage];
