// The shape of one node of a Flux CRD's structural schema, as generated into generated/flux-schemas.json.
// Pure data types; the validator and the editor features interpret them.

export interface SchemaNode {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  /** x-kubernetes-int-or-string: a number or a string is accepted. */
  intOrString?: boolean;
  enum?: Array<string | number | boolean>;
  /** A Go RE2 pattern from the CRD (JavaScript-compatible for the ones Flux uses). */
  pattern?: string;
  format?: string;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  /** x-kubernetes-preserve-unknown-fields: anything goes below this node (e.g. Helm values). */
  preserveUnknown?: boolean;
  required?: string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode;
  items?: SchemaNode;
  /** CEL rules, kept only so the rule checks can be audited against them. */
  rules?: string[];
}
