// Compiles a chart's values.schema.json with Ajv configured like Helm's validator (draft from `$schema`, 2020-12 by
// default, `format` only an annotation) and Go's RE2 for `pattern`; no value checking or messages of its own.
import Ajv2020 from 'ajv/dist/2020';
import Ajv2019 from 'ajv/dist/2019';
import Ajv07 from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { compileRe2 } from '../versions/re2-regexp';

export type CompiledValuesSchema = (values: unknown) => ErrorObject[];

/** The RE2 engine as Ajv's regexp engine; a pattern Go would reject constrains nothing rather than disabling the schema. */
const re2Engine = Object.assign(
  (pattern: string) => {
    try {
      return compileRe2(pattern);
    } catch {
      return { test: () => true };
    }
  },
  { code: 're2' },
);

const OPTIONS: Options = {
  allErrors: true,
  strict: false,
  verbose: true,
  validateFormats: false,
  validateSchema: false,
  addUsedSchema: false,
  inlineRefs: false,
  code: { regExp: re2Engine },
};

type Draft = '04' | '06' | '07' | '2019' | '2020';

function draftOf(schema: Record<string, unknown>): Draft {
  const uri = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (uri.includes('draft-04')) return '04';
  if (uri.includes('draft-06')) return '06';
  if (uri.includes('draft-07')) return '07';
  if (uri.includes('2019-09')) return '2019';
  return '2020';
}

/** A fresh Ajv per schema: Ajv keeps what it compiled, and a long-running server sees many charts. */
function newAjv(draft: Draft): { compile(schema: object | boolean): ValidateFunction } {
  switch (draft) {
    case '04':
      return new AjvDraft04(OPTIONS);
    case '06': {
      const ajv = new Ajv07(OPTIONS);
      ajv.addMetaSchema(draft06);
      return ajv;
    }
    case '07':
      return new Ajv07(OPTIONS);
    case '2019':
      return new Ajv2019(OPTIONS);
    case '2020':
      return new Ajv2020(OPTIONS);
  }
}

function tryCompile(draft: Draft, schema: object | boolean): ValidateFunction | undefined {
  try {
    return newAjv(draft).compile(schema);
  } catch {
    return undefined;
  }
}

const compiled = new WeakMap<object, CompiledValuesSchema | null>();

/**
 * The validator for `schema`, or undefined when it cannot be compiled (remote `$ref`, a malformed schema): then the
 * chart constrains nothing here. A draft-07 style schema without `$schema` that 2020-12 rejects is read as draft-07.
 */
export function compileValuesSchema(schema: unknown): CompiledValuesSchema | undefined {
  if (typeof schema === 'boolean') return asChecker(tryCompile('2020', schema));
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
  const key = schema as Record<string, unknown>;
  if (compiled.has(key)) return compiled.get(key) ?? undefined;
  const draft = draftOf(key);
  const validate = tryCompile(draft, key) ?? (draft === '2020' && key.$schema === undefined ? tryCompile('07', key) : undefined);
  const result = asChecker(validate);
  compiled.set(key, result ?? null);
  return result;
}

function asChecker(validate: ValidateFunction | undefined): CompiledValuesSchema | undefined {
  return validate && ((values) => (validate(values) ? [] : [...(validate.errors ?? [])]));
}
