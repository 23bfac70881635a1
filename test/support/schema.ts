// Validates results against schema/wp401.schema.json and HARs against the
// HAR 1.2 schema in test/fixtures, with ajv. Test-only: src stays free of ajv.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// ajv-formats is CommonJS; under ESM its function arrives as the default export.
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const formatsModule = addFormatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
const addFormats: FormatsPlugin = formatsModule.default ?? formatsModule;

function compile(file: string): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(root, file), 'utf8')));
}

let resultValidator: ValidateFunction | undefined;
let harValidator: ValidateFunction | undefined;

export interface Validation {
  valid: boolean;
  errors: string[];
}

function run(validate: ValidateFunction, obj: unknown): Validation {
  const valid = validate(obj) === true;
  const errors = (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  return { valid, errors };
}

/** Validates a scan result against the shipped JSON Schema. */
export function validateResult(obj: unknown): Validation {
  resultValidator ??= compile('schema/wp401.schema.json');
  return run(resultValidator, obj);
}

/** Validates a HAR log against test/fixtures/har-1.2.schema.json. */
export function validateHar(obj: unknown): Validation {
  harValidator ??= compile('test/fixtures/har-1.2.schema.json');
  return run(harValidator, obj);
}
