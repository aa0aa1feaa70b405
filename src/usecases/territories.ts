// What the use cases read about territories and communes: held in memory by
// an adapter (src/db/territory-directory.ts), wired in src/service.ts.
export interface TerritoryInfo {
  id: string;
  name: string;
  timeZone: string;
  organisationIdentifier: string | null;
  horizonHours: number;
  holdTtlSeconds: number;
  ackDeadlineSeconds: number;
}

export interface CommuneInfo {
  code: string;
  name: string;
  lat: number;
  lon: number;
  territoryId: string;
  /** La Poste codes, when known (the INSEE data gives them). */
  postalCodes?: readonly string[];
}

export interface TerritoryLookup {
  territory(id: string): TerritoryInfo | undefined;
  commune(code: string): CommuneInfo | undefined;
  /** Every commune a territory serves (empty for an unknown territory). */
  communesOf(territoryId: string): CommuneInfo[];
}
