export const imageUrl = (key: string) => `/images/${key}`;
