/**
 * The longest search a person may type: the search box's maxlength, and a longer ?q= (a pasted link,
 * the JSON API) gets a translated "too long" with the text back to shorten. A search is a word or a
 * short need ("tengo sed"); 200 characters is ten times the longest in the golden set. The pipeline
 * keeps its own safety cut (MAX_QUERY_CHARS in models/query).
 */
export const MAX_SEARCH_CHARS = 200;
