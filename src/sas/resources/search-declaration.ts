// What a FHIR search accepts, declared once: the parser rejects any parameter
// not declared here, and the CapabilityStatement lists exactly these (each in
// the element FHIR R4 gives it: rest.resource.searchParam, searchInclude, or
// the statement's format for _format).

export interface CapabilitySearchParam {
  /** The name in the statement; for a chained parameter, its first link (R4 cannot declare chains). */
  name: string;
  definition?: string;
  type: 'number' | 'date' | 'string' | 'token' | 'reference' | 'composite' | 'quantity' | 'uri' | 'special';
  documentation: string;
}

export type SearchParameterDeclaration =
  | { query: string; declaredAs: 'searchParam'; searchParam: CapabilitySearchParam }
  /** _include or _include:iterate: the values are the resource's searchInclude. */
  | { query: string; declaredAs: 'searchInclude'; values: readonly string[] }
  /** _format: the statement's format. */
  | { query: '_format'; declaredAs: 'format' };

export const FORMAT_PARAMETER: SearchParameterDeclaration = { query: '_format', declaredAs: 'format' };

/** The parameter names as clients spell them, in declaration order. */
export function acceptedParameters(declarations: readonly SearchParameterDeclaration[]): readonly string[] {
  return declarations.map((d) => d.query);
}

/** rest.resource.searchParam of these declarations (a name declared once). */
export function capabilitySearchParams(declarations: readonly SearchParameterDeclaration[]): CapabilitySearchParam[] {
  const byName = new Map<string, CapabilitySearchParam>();
  for (const d of declarations) if (d.declaredAs === 'searchParam' && !byName.has(d.searchParam.name)) byName.set(d.searchParam.name, d.searchParam);
  return [...byName.values()];
}

/** rest.resource.searchInclude of these declarations, when they accept _include. */
export function capabilitySearchIncludes(declarations: readonly SearchParameterDeclaration[]): string[] {
  return [...new Set(declarations.flatMap((d) => (d.declaredAs === 'searchInclude' ? d.values : [])))];
}
