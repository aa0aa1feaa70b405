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
}

export interface TerritoryLookup {
  territory(id: string): TerritoryInfo | undefined;
  commune(code: string): CommuneInfo | undefined;
}
