/** A form body as the customer pages read it: repeated fields (accountIds) stay lists. */
export type FormBody = Record<string, string | string[]>;
export const formField = (body: unknown, name: string): string | undefined => {
  const value = (body as FormBody | undefined)?.[name];
  return Array.isArray(value) ? value[0] : value;
};
export const formList = (body: unknown, name: string): string[] => {
  const value = (body as FormBody | undefined)?.[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
};
