-- Similar-spelling match: trigrams of a card's word and of its translation. Finds "espagueti" for
-- "spaghetti" and forgives the misspellings people with aphasia often make ("sandwitch").
CREATE VIRTUAL TABLE IF NOT EXISTS pin_tri USING fts5(words, tokenize = 'trigram remove_diacritics 1');
