/**
 * Every page of the console, in navigation order. A new page is one file in this folder and one line
 * here; the router, the navigation and the role checks pick it up.
 */
import type { ConsolePage } from '../page.js';
import { auditPage } from './audit.js';
import { eventPage, eventsPage } from './events.js';
import { overviewPage } from './overview.js';
import { reactionsPage } from './reactions.js';
import { reviewCasePage } from './review-case.js';
import { reviewsPage } from './reviews.js';
import { sessionsPage } from './sessions.js';
import { subjectPage } from './subject.js';
import { subjectsPage } from './subjects.js';

export const PAGES: readonly ConsolePage[] = [
  overviewPage,
  reviewsPage,
  reviewCasePage,
  subjectsPage,
  subjectPage,
  reactionsPage,
  eventsPage,
  eventPage,
  auditPage,
  sessionsPage,
];
