// Each role's page and the words the pages use for it.
import type { Role } from './api.js';

export const ROLE_PAGES: Record<Role, string> = {
  pharmacist: '/app/comptoir',
  professional: '/app/astreinte',
  regulator: '/app/regulation',
  coordinator: '/app/coordination',
};

export const ROLE_LABELS: Record<Role, string> = {
  pharmacist: 'Pharmacien·ne',
  professional: 'Professionnel·le de santé',
  regulator: 'Régulateur·rice SAS',
  coordinator: 'Coordinateur·rice CPTS',
};

export const PAGE_TITLES: Record<Role, string> = {
  pharmacist: 'Comptoir',
  professional: 'Astreinte',
  regulator: 'Régulation',
  coordinator: 'Coordination',
};

/** The WebSocket channel each role's page listens to. */
export const ROLE_CHANNELS: Record<Role, string> = {
  pharmacist: 'counter',
  regulator: 'counter',
  professional: 'professional',
  coordinator: 'coordinator',
};
