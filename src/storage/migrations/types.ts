/** Migrations are frozen files: they get the dialect as a value and never import app code. */
export type MigrationDialect = 'sqlite' | 'postgres';

export function idColumnType(dialect: MigrationDialect): 'integer' | 'serial' {
  return dialect === 'sqlite' ? 'integer' : 'serial';
}
