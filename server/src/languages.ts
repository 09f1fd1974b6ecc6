/** The VS Code language ids Pattern Lens reads. Plain data, shared by the server and the client. */
export const LANGUAGE_IDS = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'] as const;
