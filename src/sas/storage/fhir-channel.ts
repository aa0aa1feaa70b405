// Writes the SAS platform makes through /fhir go through a pool of their own
// whose connections carry this application_name. The outbox trigger of
// sql/003_fhir_sas.sql reads it to mark those events as already known to the
// SAS (no echo), atomically with the change itself, whatever use case ran.
import { openDatabase, type DatabaseHandle } from '../../db/database.js';

export const FHIR_CHANNEL_APPLICATION_NAME = 'snp-match:fhir';

export function openFhirChannelDatabase(url: string, max = 4): DatabaseHandle {
  return openDatabase(url, { max, applicationName: FHIR_CHANNEL_APPLICATION_NAME });
}
