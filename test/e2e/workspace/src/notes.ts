// The cheat sheet's "Insert snippet" goes at the end of this file.

export const notes: string[] = [];

