// What the /fhir routes are given by the composition root.
import type { PracticeDirectory, PracticeLookup } from '../storage/practice-directory.js';
import type { ProfessionalSlotView } from '../../db/sync/professional-slots.js';
import type { UseCaseContext } from '../../usecases/context.js';
import type { RegulatorAccountStore } from '../../usecases/regulator-accounts.js';

export interface FhirHttpContext {
  /** The use cases' context, as the other transports have it. */
  ctx: UseCaseContext;
  /**
   * The same, but each transaction marked as the FHIR channel's (src/sas/storage/fhir-channel.ts):
   * changes the SAS makes itself are not echoed back to it by the outbox.
   */
  channelCtx: UseCaseContext;
  slots: ProfessionalSlotView;
  practice: PracticeLookup & Pick<PracticeDirectory, 'professionalsByRpps' | 'practice' | 'practicesOf' | 'professionalById'>;
  /** FHIR_BASE_URL; when absent the base is derived from each request. */
  baseUrl?: string | undefined;
  /** Identifier systems of what we name ourselves. */
  systems: FhirSystems;
  softwareVersion: string;
  /** The SAS's regulator accounts (flux v1). */
  regulatorAccounts: RegulatorAccountStore;
  /**
   * PUBLIC_BASE_URL: each Slot's comment is the booking link `<base>/app/regulation?creneau=<slot id>`
   * (flux v2) that opens the Régulation page, through the login when there is no session.
   */
  publicBaseUrl: () => string;
}

export interface FhirSystems {
  /** Our booking ids as Appointment.identifier (IG "ID 2": the editor's system). */
  appointment: string;
  /** Our site ids as the contained Location's identifier. */
  site: string;
}

export function fhirSystems(baseUrl: string | undefined): FhirSystems {
  const root = baseUrl?.replace(/\/+$/, '');
  return root !== undefined
    ? { appointment: `${root}/NamingSystem/booking`, site: `${root}/NamingSystem/site` }
    : { appointment: 'urn:snp-match:booking', site: 'urn:snp-match:site' };
}
