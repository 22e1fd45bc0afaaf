/**
 * Function words left out of word-by-word translation: a dictionary gives "die" → "the, which, who…"
 * and "على" → "on, upon, against…", which only blur what the encoder reads. Short lists on purpose:
 * question words, articles, pronouns, auxiliaries, conjunctions and the commonest prepositions.
 * Arabic entries are written normalised (see arabic.ts: ى → ي, ة → ه, alef shapes → ا).
 */
export const STOPWORDS: Record<"de" | "fr" | "es" | "ar", ReadonlySet<string>> = {
  de: new Set(
    (
      "der die das den dem des ein eine einer eines einem einen und oder aber zu zum zur von vom mit bei beim bis für auf aus in im " +
      "ins an am als wie was welche welcher welches welchen welchem wer wen wem wo wann warum wieso weshalb ob ist sind war waren " +
      "wird werden wurde wurden worden sein kann können könnte konnte muss müssen hat haben hatte gibt gab es sich nicht auch noch " +
      "so dass daß man diese dieser dieses diesen diesem jene sie er ich du wir ihr mein dein sein ihre ihren unser euer " +
      "bisher bereits schon sowie sowohl etwa eigentlich überhaupt denn dann da hier dort welch inwieweit inwiefern " +
      "lässt lassen gibt geben gilt muss musste jemand etwas sehr besonders wofür wodurch womit wovon falls wenn beim vom " +
      // Prepositions: deu-eng puts prefixes and rare senses first (über → hyper, unter → sub, nether, knave).
      "über unter zwischen durch gegen ohne nach seit während wegen trotz neben hinter um"
    ).split(" "),
  ),
  fr: new Set(
    (
      "le la les l un une des du de d et ou mais à au aux en dans sur par pour avec sans sous que qu qui quoi quel quelle quels " +
      "quelles lequel laquelle lesquels lesquelles est sont a ont été être avoir fait il elle ils elles on nous vous je tu ce cet " +
      "cette ces se s sa son ses leur leurs y ne n pas plus comme comment pourquoi quand où dont peut peuvent pourrait " +
      "t jusqu ici déjà ainsi donc si afin quelqu quelque faut peut-on a-t-on existe-t-il dispose-t-on"
    ).split(" "),
  ),
  es: new Set(
    (
      "el la los las lo un una unos unas de del y o pero a al en con sin por para que qué cual cuál cuales cuáles quien es son " +
      "fue ha han ser estar hay se su sus le les como cómo cuando dónde donde ya"
    ).split(" "),
  ),
  ar: new Set(
    (
      "في من علي الي عن مع هل ما ماذا كيف لماذا متي اين التي الذي الذين اللذين اللتين هذا هذه ذلك تلك هولاء و او ام ثم كان كانت " +
      "يكون تكون هناك هنا هي هو هم هن انا نحن انت عند بين قد لا لم لن ان انه انها اي ايه كل بعض اذا لقد حتي حول منذ خلال لدي " +
      "يمكن تم التي الي اي مدي"
    ).split(" "),
  ),
};
