import { ApertiumTranslator, detectLanguage } from "../../models/embed/index";
const a = new ApertiumTranslator();
console.log(a.canTranslate("es"), await a.toEnglish(["manzana roja", "ejercicios de habla", "Empieza por «ma…»\nx", "terapia de la afasia"], "es"));
for (const q of ["aphasia", "afasia", "words for food", "ejercicios de habla", "pan", "manzana roja", "bread"]) console.log(q, detectLanguage(q, "en"));
