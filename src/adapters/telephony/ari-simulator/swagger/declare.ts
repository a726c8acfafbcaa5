/**
 * Small builders for swagger 1.2 declarations, so the resource files read like a list of
 * operations rather than a wall of JSON.
 */

export type PropertyDecl = { readonly type: string; readonly description: string; readonly required: boolean };
export type ModelDecl = { readonly id: string; readonly description: string; readonly properties: Record<string, PropertyDecl> };

export type ParamDecl = {
  readonly name: string;
  readonly description: string;
  readonly paramType: 'path' | 'query' | 'body';
  readonly required: boolean;
  readonly allowMultiple: boolean;
  readonly dataType: string;
  readonly defaultValue?: string | number | boolean;
  readonly allowableValues?: { readonly valueType: 'LIST'; readonly values: readonly string[] };
};

export type OperationDecl = {
  readonly httpMethod: 'GET' | 'POST' | 'DELETE';
  readonly summary: string;
  readonly nickname: string;
  readonly responseClass: string;
  readonly parameters: readonly ParamDecl[];
  readonly errorResponses: ReadonlyArray<{ readonly code: number; readonly reason: string }>;
};

export type ApiDecl = { readonly path: string; readonly description: string; readonly operations: readonly OperationDecl[] };

export type ResourceDecl = {
  readonly name: string;
  readonly description: string;
  readonly apis: readonly ApiDecl[];
  readonly models: Record<string, ModelDecl>;
};

export const required = (type: string, description: string): PropertyDecl => ({ type, description, required: true });
export const optional = (type: string, description: string): PropertyDecl => ({ type, description, required: false });

export function model(id: string, description: string, properties: Record<string, PropertyDecl>): ModelDecl {
  return { id, description, properties };
}

type ParamExtras = Partial<Pick<ParamDecl, 'required' | 'allowMultiple' | 'defaultValue' | 'allowableValues'>>;

export function pathParam(name: string, description: string): ParamDecl {
  return { name, description, paramType: 'path', required: true, allowMultiple: false, dataType: 'string' };
}

export function queryParam(name: string, dataType: string, description: string, extras: ParamExtras = {}): ParamDecl {
  return { name, description, paramType: 'query', required: false, allowMultiple: false, dataType, ...extras };
}

/** `ari-client` wraps a body parameter named `variables` as `{ "variables": {...} }`. */
export function bodyParam(name: string, description: string): ParamDecl {
  return { name, description, paramType: 'body', required: false, allowMultiple: false, dataType: 'containers' };
}

export function operation(
  httpMethod: OperationDecl['httpMethod'],
  nickname: string,
  responseClass: string,
  summary: string,
  parameters: readonly ParamDecl[] = [],
  errors: Record<number, string> = {},
): OperationDecl {
  const errorResponses = Object.entries(errors).map(([code, reason]) => ({ code: Number(code), reason }));
  return { httpMethod, summary, nickname, responseClass, parameters, errorResponses };
}
