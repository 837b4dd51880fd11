import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Box from '@material-ui/core/Box';
import { getIn, pathName } from './draft';

/** The parts of a JSON Schema node the form understands. */
export interface SchemaNode {
  type?: string;
  description?: string;
  enum?: string[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  maxLength?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

export interface SchemaFormProps {
  schema: SchemaNode;
  /** Where this node sits in the draft, e.g. `['spec']`. */
  path: string[];
  draft: unknown;
  /** Validation messages by field path. */
  errors: Record<string, string>;
  onChange: (path: string[], value: unknown) => void;
  /**
   * Whether this object must be present (default: yes, as metadata and spec are). The fields
   * the schema requires are marked required only where their object must be, or is, present.
   */
  required?: boolean;
}

function label(path: string[], required: boolean) {
  return `${path[path.length - 1]}${required ? ' *' : ''}`;
}

function parseMap(text: string): Record<string, string> | undefined {
  const entries = text
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean)
    .map(line => {
      const at = line.indexOf('=');
      return at < 0
        ? [line, '']
        : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
    });
  return entries.length ? Object.fromEntries(entries) : undefined;
}

function Field(props: SchemaFormProps & { required: boolean }) {
  const { schema, path, draft, errors, onChange, required } = props;
  const value = getIn(draft, path);
  // A missing required field inside a missing object: the schema names only the object.
  const error =
    errors[pathName(path)] ??
    (required && value === undefined ? 'is required' : undefined);
  const common = {
    label: label(path, required),
    helperText: error ?? schema.description,
    error: Boolean(error),
    fullWidth: true,
    margin: 'dense' as const,
    variant: 'outlined' as const,
    inputProps: { 'aria-label': pathName(path) },
  };

  if (schema.type === 'object' && schema.properties) {
    return (
      <Box
        component="fieldset"
        border={1}
        borderColor="divider"
        borderRadius={4}
        p={1}
        my={1}
      >
        <Typography component="legend" variant="subtitle2">
          {label(path, required)}
        </Typography>
        <SchemaForm {...props} />
      </Box>
    );
  }
  if (
    schema.type === 'object' &&
    typeof schema.additionalProperties === 'object'
  ) {
    const map = (value ?? {}) as Record<string, string>;
    return (
      <TextField
        {...common}
        multiline
        minRows={2}
        helperText={error ?? 'One key=value per line'}
        value={Object.entries(map)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n')}
        onChange={e => onChange(path, parseMap(e.target.value))}
      />
    );
  }
  if (schema.type === 'array' && schema.items?.type === 'string') {
    const list = (value ?? []) as string[];
    return (
      <TextField
        {...common}
        helperText={error ?? `${schema.description ?? ''} (comma-separated)`}
        value={list.join(', ')}
        onChange={e => {
          const items = e.target.value
            .split(',')
            .map(s => s.trim())
            .filter(Boolean);
          onChange(path, items.length ? items : undefined);
        }}
      />
    );
  }
  if (schema.type === 'string' && schema.enum) {
    return (
      <TextField
        {...common}
        select
        value={value ?? ''}
        onChange={e => onChange(path, e.target.value || undefined)}
      >
        <MenuItem value="">
          <em>unset</em>
        </MenuItem>
        {schema.enum.map(option => (
          <MenuItem key={option} value={option}>
            {option}
          </MenuItem>
        ))}
      </TextField>
    );
  }
  if (schema.type === 'string') {
    return (
      <TextField
        {...common}
        multiline={(schema.maxLength ?? 0) > 1024}
        minRows={(schema.maxLength ?? 0) > 1024 ? 3 : undefined}
        value={value ?? ''}
        onChange={e =>
          onChange(path, e.target.value === '' ? undefined : e.target.value)
        }
      />
    );
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    return (
      <TextField
        {...common}
        type="number"
        value={value ?? ''}
        onChange={e =>
          onChange(
            path,
            e.target.value === '' ? undefined : Number(e.target.value),
          )
        }
      />
    );
  }
  if (schema.type === 'boolean') {
    return (
      <FormControlLabel
        control={
          <Checkbox
            checked={value === true}
            onChange={e => onChange(path, e.target.checked ? true : undefined)}
            inputProps={{ 'aria-label': pathName(path) }}
          />
        }
        label={label(path, required)}
      />
    );
  }
  return (
    <Typography variant="body2" color={error ? 'error' : 'textSecondary'}>
      {label(path, required)}: edit in the YAML view
      {error ? ` — ${error}` : ''}
    </Typography>
  );
}

/** A form for an object schema, one field per property, generated from the kind's schema. */
export function SchemaForm(props: SchemaFormProps) {
  const { schema, draft, path, required = true } = props;
  const present = getIn(draft, path) !== undefined;
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, child]) => (
        <Field
          key={key}
          {...props}
          schema={child}
          path={[...path, key]}
          required={
            (schema.required?.includes(key) ?? false) && (required || present)
          }
        />
      ))}
    </>
  );
}
