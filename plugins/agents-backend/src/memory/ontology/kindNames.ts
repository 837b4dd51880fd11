import { FieldProblem } from './yamlShapes';

const KIND_NAME = /^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$/;

/** A node or edge kind's name must be a word or words joined by `-`, such as `depends-on`. */
export function kindNameProblems(name: string, at: string): FieldProblem[] {
  if (KIND_NAME.test(name)) return [];
  return [
    {
      field: at,
      message: `'${name}' is not a kind name; use letters and digits joined by '-', such as depends-on`,
    },
  ];
}
