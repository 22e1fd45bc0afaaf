/**
 * Builds db/seed/starter-library.json — the curated starter library of topic boards.
 *
 * Pictures: OpenMoji 17.0.0 colour SVGs (CC BY-SA 4.0), from the `openmoji` package.
 * Words:    emojibase-data 17.0.0 (MIT) `label` in English and Spanish, matched by hexcode.
 *
 * The topic definitions below are curated by hand for everyday aphasia therapy vocabulary:
 * each topic lists its hexcodes in order, from the most common / easiest word to the least.
 * No flags, no skin-tone variants, no keycaps; gender-neutral person forms where they exist.
 *
 * Run: npx tsx scripts/build-starter-library.ts
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

type Localized = { en: string; es: string };

type TopicDefinition = {
  slug: string;
  title: Localized;
  description: Localized;
  /** OpenMoji / emojibase hexcodes, most common word first. */
  hexcodes: string[];
};

export type StarterCard = { hexcode: string; svg: string; en: string; es: string };
export type StarterTopic = { slug: string; title: Localized; description: Localized; cards: StarterCard[] };
export type StarterLibrary = {
  source: { pictures: string; words: string };
  topics: StarterTopic[];
};

const MIN_TOPICS = 20;
const MIN_CARDS_PER_TOPIC = 16;
const MAX_CARDS_PER_TOPIC = 24;
const MIN_DISTINCT_PICTURES = 340;

// prettier-ignore
const TOPICS: TopicDefinition[] = [
  {
    slug: "food",
    title: { en: "Food", es: "Comida" },
    description: {
      en: "Everyday meals, snacks and treats to name, request and talk about at mealtimes.",
      es: "Comidas, tentempiés y dulces de cada día para nombrar, pedir y comentar a la hora de comer.",
    },
    hexcodes: [
      "1F35E", "1F95A", "1F9C0", "1F35A", "1F35D", "1F355", "1F96A", "1F354", // bread, egg, cheese wedge, cooked rice, spaghetti, pizza, sandwich, hamburger
      "1F35F", "1F957", "1F357", "1F969", "1F953", "1F950", "1F95E", "1F32D", // french fries, green salad, poultry leg, cut of meat, bacon, croissant, pancakes, hot dog
      "1F36A", "1F382", "1F368", "1F36B", "1F370", "1F369", "1F37F", // cookie, birthday cake, ice cream, chocolate bar, shortcake, doughnut, popcorn
    ],
  },
  {
    slug: "fruit-vegetables",
    title: { en: "Fruit and vegetables", es: "Frutas y verduras" },
    description: {
      en: "Common fruit and vegetables from the market and the kitchen, good for naming and shopping lists.",
      es: "Frutas y verduras habituales del mercado y la cocina, útiles para nombrar y hacer la lista de la compra.",
    },
    hexcodes: [
      "1F34E", "1F34C", "1F34A", "1F347", "1F353", "1F350", "1F34B", "1F349", // red apple, banana, tangerine, grapes, strawberry, pear, lemon, watermelon
      "1F351", "1F352", "1F34D", "1F348", "1F345", "1F954", "1F955", "1F9C5", // peach, cherries, pineapple, melon, tomato, potato, carrot, onion
      "1F9C4", "1F966", "1F952", "1FAD1", "1F33D", "1F344", "1F951", "1F346", // garlic, broccoli, cucumber, bell pepper, ear of corn, mushroom, avocado, eggplant
    ],
  },
  {
    slug: "drinks",
    title: { en: "Drinks", es: "Bebidas" },
    description: {
      en: "Hot and cold drinks to ask for at home, in a café or at a celebration.",
      es: "Bebidas frías y calientes para pedir en casa, en una cafetería o en una celebración.",
    },
    hexcodes: [
      "1F95B", "2615", "1F375", "1F6B0", "1F9C3", "1F964", "1F377", "1F37A", // glass of milk, hot beverage, teacup without handle, potable water, beverage box, cup with straw, wine glass, beer mug
      "1F942", "1F37E", "1F378", "1F379", "1F37B", "1F37C", "1F9CA", "1F9C9", // clinking glasses, bottle with popping cork, cocktail glass, tropical drink, clinking beer mugs, baby bottle, ice, mate
      "1F9CB", // bubble tea
    ],
  },
  {
    slug: "family-people",
    title: { en: "Family and people", es: "Familia y personas" },
    description: {
      en: "Family members and the people around us, to talk about loved ones and relationships.",
      es: "Miembros de la familia y personas cercanas, para hablar de los seres queridos y las relaciones.",
    },
    hexcodes: [
      "1F476", "1F466", "1F467", "1F469", "1F468", "1F9D1", "1F9D3", // baby, boy, girl, woman, man, person, older person
      "1F475", "1F474", "1F46A", "1F468-200D-1F469-200D-1F467-200D-1F466", "1F469-200D-1F467", "1F468-200D-1F466", // old woman, old man, family, family: man, woman, girl, boy, family: woman, girl, family: man, boy
      "1F9D1-200D-1F9D2", "1F46B", "1F491", "1FAC2", "1F48F", "1F930", "1F9D1-200D-1F37C", // family: adult, child, woman and man holding hands, couple with heart, people hugging, kiss, pregnant woman, person feeding baby
    ],
  },
  {
    slug: "body",
    title: { en: "Body", es: "El cuerpo" },
    description: {
      en: "Parts of the body, to name them and to say where something hurts.",
      es: "Partes del cuerpo, para nombrarlas y para decir dónde duele algo.",
    },
    hexcodes: [
      "1F441", "1F440", "1F442", "1F443", "1F444", "1F445", "1F9B7", "1F590", // eye, eyes, ear, nose, mouth, tongue, tooth, hand with fingers splayed
      "261D", "1F4AA", "1F9B5", "1F9B6", "1F9E0", "1FAC0", "1FAC1", "1F9B4", // index pointing up, flexed biceps, leg, foot, brain, anatomical heart, lungs, bone
      "1F463", "1FAC6", // footprints, fingerprint
    ],
  },
  {
    slug: "feelings",
    title: { en: "Feelings", es: "Sentimientos" },
    description: {
      en: "Faces showing emotions and moods, to help say how someone feels today.",
      es: "Caras que muestran emociones y estados de ánimo, para ayudar a decir cómo se siente alguien hoy.",
    },
    hexcodes: [
      "1F600", "1F60A", "1F622", "1F620", "1F628", "1F61F", "1F632", "1F62B", // grinning face, smiling face with smiling eyes, crying face, angry face, fearful face, worried face, astonished face, tired face
      "1F615", "1F60D", "1F614", "1F60C", "1F633", "1F914", "1F602", "1F62D", // confused face, smiling face with heart-eyes, pensive face, relieved face, flushed face, thinking face, face with tears of joy, loudly crying face
      "1F631", "1F621", "1F610", "1F61E", "1F973", "2764", "1F494", "1F971", // face screaming in fear, enraged face, neutral face, disappointed face, partying face, red heart, broken heart, yawning face
    ],
  },
  {
    slug: "actions",
    title: { en: "Actions", es: "Acciones" },
    description: {
      en: "People doing everyday things, to practise verbs and describe what is happening.",
      es: "Personas haciendo cosas cotidianas, para practicar verbos y describir lo que está pasando.",
    },
    hexcodes: [
      "1F6B6", "1F3C3", "1F9CD", "1F9CE", "1F6CC", "1F6C0", "270D", "1F44F", // person walking, person running, person standing, person kneeling, person in bed, person taking bath, writing hand, clapping hands
      "1F44B", "1F91D", "1F483", "1F64B", "1F64F", "1F937", "1F647", "1F645", // waving hand, handshake, woman dancing, person raising hand, folded hands, person shrugging, person bowing, person gesturing NO
      "1F646", "1F487", "1F486", "1F933", // person gesturing OK, person getting haircut, person getting massage, selfie
    ],
  },
  {
    slug: "daily-routine",
    title: { en: "Daily routine", es: "Rutina diaria" },
    description: {
      en: "Objects used every day for washing, dressing, sleeping and keeping the home tidy.",
      es: "Objetos que usamos cada día para asearnos, arreglarnos, dormir y mantener la casa ordenada.",
    },
    hexcodes: [
      "1FAA5", "1F9FC", "1F6CF", "1F6BF", "1F6BD", "1F6C1", "1F9FB", "1FA92", // toothbrush, soap, bed, shower, toilet, bathtub, roll of paper, razor
      "1FA9E", "1F453", "1F4F1", "1F9F4", "1F484", "1F485", "1F9F9", // mirror, glasses, mobile phone, lotion bottle, lipstick, nail polish, broom
      "1FAA3", "1F9FA", "1F5D1", // bucket, basket, wastebasket
    ],
  },
  {
    slug: "clothes",
    title: { en: "Clothes", es: "Ropa" },
    description: {
      en: "Clothes, shoes and accessories, to talk about getting dressed and what to wear.",
      es: "Ropa, calzado y complementos, para hablar de vestirse y de qué ponerse.",
    },
    hexcodes: [
      "1F455", "1F456", "1F457", "1F9E5", "1F9E6", "1F45E", "1F45F", "1F9E3", // t-shirt, jeans, dress, coat, socks, man’s shoe, running shoe, scarf
      "1F9E4", "1F9E2", "1F452", "1F454", "1FA73", "1FA72", "1FA71", "1F460", // gloves, billed cap, woman’s hat, necktie, shorts, briefs, one-piece swimsuit, high-heeled shoe
      "1F462", "1FA74", "1F45C", "1F576", "1F48D", "1F97E", "1F461", "1F3A9", // woman’s boot, thong sandal, handbag, sunglasses, ring, hiking boot, woman’s sandal, top hat
    ],
  },
  {
    slug: "places",
    title: { en: "Places", es: "Lugares" },
    description: {
      en: "Buildings and places in town, to talk about where someone is going or has been.",
      es: "Edificios y lugares de la ciudad, para hablar de adónde va alguien o dónde ha estado.",
    },
    hexcodes: [
      "1F3E0", "1F3D8", "26EA", "1F3E4", "1F3E8", "1F3E2", "1F3DF", "1F3ED", // house, houses, church, post office, hotel, office building, stadium, factory
      "1F3F0", "1F3DB", "26F2", "1F3D9", "1F54C", "1F54D", "1F6D5", "1F6D6", // castle, classical building, fountain, cityscape, mosque, synagogue, hindu temple, hut
      "1F3D7", "1F6DD", "1F3A1", "26FA", "1F3AA", "1F309", "1F3D5", // building construction, playground slide, ferris wheel, tent, circus tent, bridge at night, camping
    ],
  },
  {
    slug: "time",
    title: { en: "Time", es: "La hora y el calendario" },
    description: {
      en: "Clocks, calendars and times of day, to talk about the time, appointments and plans.",
      es: "Relojes, calendarios y momentos del día, para hablar de la hora, las citas y los planes.",
    },
    hexcodes: [
      "231A", "23F0", "1F570", "1F4C5", "1F4C6", "1F5D3", "23F3", "231B", // watch, alarm clock, mantelpiece clock, calendar, tear-off calendar, spiral calendar, hourglass not done, hourglass done
      "23F1", "23F2", "1F305", "1F307", "1F303", "1F55B", "1F550", "1F552", // stopwatch, timer clock, sunrise, sunset, night with stars, twelve o’clock, one o’clock, three o’clock
      "1F555", "1F558", "1F567", // six o’clock, nine o’clock, twelve-thirty
    ],
  },
  {
    slug: "weather",
    title: { en: "Weather", es: "El clima" },
    description: {
      en: "Sun, rain, snow and wind, to talk about today's weather and how it feels.",
      es: "Sol, lluvia, nieve y viento, para hablar del tiempo que hace hoy y de cómo se siente.",
    },
    hexcodes: [
      "2600", "2601", "1F327", "2614", "2744", "26C5", "1F326", "26C8", // sun, cloud, cloud with rain, umbrella with rain drops, snowflake, sun behind cloud, sun behind rain cloud, cloud with lightning and rain
      "1F329", "1F328", "1F308", "1F32C", "1F32B", "1F32A", "26C4", "2602", // cloud with lightning, cloud with snow, rainbow, wind face, fog, tornado, snowman without snow, umbrella
      "1F4A7", "1F300", "1F975", "1F976", "1F319", "2B50", // droplet, cyclone, hot face, cold face, crescent moon, star
    ],
  },
  {
    slug: "health",
    title: { en: "Health", es: "Salud" },
    description: {
      en: "Medicine, symptoms, doctors and hospitals, to explain how someone feels and what care they need.",
      es: "Medicinas, síntomas, médicos y hospitales, para explicar cómo se encuentra alguien y qué cuidados necesita.",
    },
    hexcodes: [
      "1F48A", "1F3E5", "1F9D1-200D-2695-FE0F", "1F691", "1F489", "1FA79", "1F321", "1FA7A", // pill, hospital, health worker, ambulance, syringe, adhesive bandage, thermometer, stethoscope
      "1F912", "1F637", "1F915", "1F927", "1F922", "1F92E", "1FA7C", "1F9BD", // face with thermometer, face with medical mask, face with head-bandage, sneezing face, nauseated face, face vomiting, crutch, manual wheelchair
      "1F9AF", "1F9BB", "1FA7B", "1FA78", "2695", "1F9A0", // white cane, ear with hearing aid, x-ray, drop of blood, medical symbol, microbe
    ],
  },
  {
    slug: "animals",
    title: { en: "Animals", es: "Animales" },
    description: {
      en: "Pets, farm animals and wild animals, a familiar and motivating set for naming practice.",
      es: "Mascotas, animales de granja y animales salvajes, un grupo familiar y motivador para practicar la denominación.",
    },
    hexcodes: [
      "1F415", "1F408", "1F40E", "1F404", "1F416", "1F414", "1F426", "1F41F", // dog, cat, horse, cow, pig, chicken, bird, fish
      "1F407", "1F401", "1F986", "1F418", "1F981", "1F412", "1F43B", // rabbit, mouse, duck, elephant, lion, monkey, bear
      "1F98B", "1F40D", "1F438", "1F422", "1F992", "1F405", "1F410", "1F41D", // butterfly, snake, frog, turtle, giraffe, tiger, goat, honeybee
      "1F427", // penguin
    ],
  },
  {
    slug: "transport",
    title: { en: "Transport", es: "Transporte" },
    description: {
      en: "Vehicles and ways of getting around, to talk about journeys and appointments.",
      es: "Vehículos y formas de desplazarse, para hablar de trayectos y de cómo llegar a las citas.",
    },
    hexcodes: [
      "1F697", "1F68C", "1F686", "2708", "1F6B2", "1F695", "1F3CD", "1F6A2", // automobile, bus, train, airplane, bicycle, taxi, motorcycle, ship
      "1F693", "1F692", "1F69A", "1F69C", "1F681", "1F687", "1F68A", "26F5", // police car, fire engine, delivery truck, tractor, helicopter, metro, tram, sailboat
      "1F6F5", "1F6F4", "1F6FB", "1F6F6", "1F689", "1F68F", "26FD", "1F6A6", // motor scooter, kick scooter, pickup truck, canoe, station, bus stop, fuel pump, vertical traffic light
    ],
  },
  {
    slug: "home",
    title: { en: "Home and furniture", es: "Casa y muebles" },
    description: {
      en: "Rooms, furniture and things around the house, to talk about home life.",
      es: "Muebles y objetos de la casa, para hablar de la vida en el hogar.",
    },
    hexcodes: [
      "1F3E1", "1F6AA", "1FA9F", "1FA91", "1F6CB", "1F4FA", "1F4A1", "260E", // house with garden, door, window, chair, couch and lamp, television, light bulb, telephone
      "1F511", "1F5BC", "1FAB4", "1F56F", "1F50C", "1F514", "1F512", "1F6D7", // key, framed picture, potted plant, candle, electric plug, bell, locked, elevator
      "1F9EF", // fire extinguisher
    ],
  },
  {
    slug: "kitchen",
    title: { en: "Kitchen", es: "Cocina" },
    description: {
      en: "Dishes, cutlery and kitchen items, to talk about cooking, setting the table and eating.",
      es: "Vajilla, cubiertos y utensilios de cocina, para hablar de cocinar, poner la mesa y comer.",
    },
    hexcodes: [
      "1F944", "1F374", "1F52A", "1F37D", "1F963", "1F373", "1F372", "1F958", // spoon, fork and knife, kitchen knife, fork and knife with plate, bowl with spoon, cooking, pot of food, shallow pan of food
      "1FAD6", "1F943", "1FAD9", "1F962", "1F9C2", "1F9C8", "1F36F", "1F9FD", // teapot, tumbler glass, jar, chopsticks, salt, butter, honey pot, sponge
      "1F96B", "1F961", // canned food, takeout box
    ],
  },
  {
    slug: "hobbies-sport",
    title: { en: "Hobbies and sport", es: "Aficiones y deporte" },
    description: {
      en: "Sports, games and pastimes, to talk about what someone enjoys doing in their free time.",
      es: "Deportes, juegos y pasatiempos, para hablar de lo que a alguien le gusta hacer en su tiempo libre.",
    },
    hexcodes: [
      "26BD", "1F3C0", "1F3BE", "1F3CA", "1F6B4", "1F3A3", "1F3B2", "1F9E9", // soccer ball, basketball, tennis, person swimming, person biking, fishing pole, game die, puzzle piece
      "1F3A8", "1F9F6", "265F", "1F3AE", "1F3B3", "1F3D3", "1F3D0", "1F3BF", // artist palette, yarn, chess pawn, video game, bowling, ping pong, volleyball, skis
      "1F3CC", "1F3CB", "1F9D8", "1F9D7", "1F3C6", "1F4F7", "1FA81", "1F3AD", // person golfing, person lifting weights, person in lotus position, person climbing, trophy, camera, kite, performing arts
    ],
  },
  {
    slug: "music",
    title: { en: "Music", es: "Música" },
    description: {
      en: "Musical instruments and ways of listening to music, to talk about favourite songs and activities.",
      es: "Instrumentos musicales y formas de escuchar música, para hablar de canciones y actividades favoritas.",
    },
    hexcodes: [
      "1F3B5", "1F3B6", "1F3B8", "1F3B9", "1F941", "1F3BB", "1F3BA", "1F3A4", // musical note, musical notes, guitar, musical keyboard, drum, violin, trumpet, microphone
      "1F3A7", "1F4FB", "1F9D1-200D-1F3A4", "1F57A", "1F3B7", "1FA88", "1FA97", "1FA89", // headphone, radio, singer, man dancing, saxophone, flute, accordion, harp
      "1FA87", "1F3BC", "1FA8A", "1FA95", "1FA98", // maracas, musical score, trombone, banjo, long drum
    ],
  },
  {
    slug: "school-office",
    title: { en: "School and office", es: "Colegio y oficina" },
    description: {
      en: "Things for reading, writing and working, to talk about study, paperwork and the computer.",
      es: "Objetos para leer, escribir y trabajar, para hablar del estudio, los papeles y el ordenador.",
    },
    hexcodes: [
      "270F", "1F58A", "1F4D6", "1F4DA", "1F4D3", "2702", "1F4CF", "1F4CE", // pencil, pen, open book, books, notebook, scissors, straight ruler, paperclip
      "1F392", "1F3EB", "1F4BB", "1F5A5", "2328", "1F5B1", "1F5A8", "1F4C1", // backpack, school, laptop, desktop computer, keyboard, computer mouse, printer, file folder
      "1F4CB", "1F4CC", "1F58D", "1F4BC", "1F4DD", "2709", "1F4F0", "1F9EE", // clipboard, pushpin, crayon, briefcase, memo, envelope, newspaper, abacus
    ],
  },
  {
    slug: "nature",
    title: { en: "Nature and plants", es: "Naturaleza y plantas" },
    description: {
      en: "Trees, flowers and landscapes, to talk about gardens, walks and trips outdoors.",
      es: "Árboles, flores y paisajes, para hablar del jardín, los paseos y las salidas al aire libre.",
    },
    hexcodes: [
      "1F333", "1F332", "1F334", "1F337", "1F339", "1F33B", "1F33C", "1F490", // deciduous tree, evergreen tree, palm tree, tulip, rose, sunflower, blossom, bouquet
      "1F331", "1F335", "1F33F", "1F340", "1F341", "1F342", "26F0", "1F3D6", // seedling, cactus, herb, four leaf clover, maple leaf, fallen leaf, mountain, beach with umbrella
      "1F3DD", "1F30B", "1F30A", "1F525", "1FAA8", "1FAB5", "1F3DE", "1F41A", // desert island, volcano, water wave, fire, rock, wood, national park, spiral shell
    ],
  },
  {
    slug: "shopping-money",
    title: { en: "Shopping and money", es: "Compras y dinero" },
    description: {
      en: "Shops, payments and money, to practise going shopping and handling everyday errands.",
      es: "Tiendas, pagos y dinero, para practicar ir de compras y hacer recados cotidianos.",
    },
    hexcodes: [
      "1F6D2", "1F6CD", "1FA99", "1F4B6", "1F4B5", "1F4B3", "1F45B", "1F4B0", // shopping cart, shopping bags, coin, euro banknote, dollar banknote, credit card, purse, money bag
      "1F9FE", "1F3EA", "1F3EC", "1F3E6", "1F3E7", "1F4E6", "1F381", "1F3F7", // receipt, convenience store, department store, bank, ATM sign, package, wrapped gift, label
      "1F3AB", "1F4B7", // ticket, pound banknote
    ],
  },
  {
    slug: "tools",
    title: { en: "Tools", es: "Herramientas" },
    description: {
      en: "Tools for repairs, DIY and the garden, to talk about fixing and making things.",
      es: "Herramientas para arreglos, bricolaje y jardín, para hablar de reparar y construir cosas.",
    },
    hexcodes: [
      "1F528", "1FA9B", "1F527", "1FA9A", "1FA93", "1FA9C", "1FA8F", "1F9F0", // hammer, screwdriver, wrench, carpentry saw, axe, ladder, shovel, toolbox
      "1F529", "1F526", "1F50B", "1F9F2", "26CF", "1F6E0", "2699", "1F5DC", // nut and bolt, flashlight, battery, magnet, pick, hammer and wrench, gear, clamp
      "1FA9D", "26D3", "1F517", "2696", // hook, chains, link, balance scale
    ],
  },
  {
    slug: "jobs",
    title: { en: "Jobs", es: "Profesiones" },
    description: {
      en: "People at work, to talk about someone's job, past career and the professionals they meet.",
      es: "Personas trabajando, para hablar del oficio de alguien, de su vida laboral y de los profesionales con los que trata.",
    },
    hexcodes: [
      "1F9D1-200D-1F373", "1F46E", "1F9D1-200D-1F692", "1F9D1-200D-1F3EB", "1F9D1-200D-1F393", "1F9D1-200D-1F33E", // cook, police officer, firefighter, teacher, student, farmer
      "1F9D1-200D-1F527", "1F9D1-200D-1F4BC", "1F477", "1F9D1-200D-2708-FE0F", "1F9D1-200D-1F3A8", "1F9D1-200D-1F52C", // mechanic, office worker, construction worker, pilot, artist, scientist
      "1F9D1-200D-1F4BB", "1F9D1-200D-1F3ED", "1F482", "1F575", "1F9D1-200D-1F680", // technologist, factory worker, guard, detective, astronaut
    ],
  },
];

type EmojibaseEntry = { hexcode: string; label: string; skins?: EmojibaseEntry[] };
type OpenmojiEntry = { hexcode: string; group: string; skintone: string };

const require = createRequire(import.meta.url);
const scriptPath = fileURLToPath(import.meta.url);
const repoRoot = resolve(dirname(scriptPath), "..");
const openmojiRoot = dirname(require.resolve("openmoji/package.json"));
const emojibaseRoot = dirname(require.resolve("emojibase-data/package.json"));

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** Hexcode key that ignores case and variation selectors (FE0E/FE0F), so "2764-FE0F" matches "2764". */
function normalizeHexcode(hexcode: string): string {
  return hexcode
    .toUpperCase()
    .split("-")
    .filter((part) => part !== "FE0F" && part !== "FE0E")
    .join("-");
}

const SKIN_TONE = /-(1F3FB|1F3FC|1F3FD|1F3FE|1F3FF)(-|$)/;
const REGIONAL_INDICATOR = /^1F1E[6-9A-F]|^1F1F[0-9A-F]/;

function labelIndex(locale: string): Map<string, string> {
  const entries = readJson<EmojibaseEntry[]>(join(emojibaseRoot, locale, "data.json"));
  const index = new Map<string, string>();
  const add = (entry: EmojibaseEntry) => {
    const key = normalizeHexcode(entry.hexcode);
    if (!index.has(key)) index.set(key, entry.label);
  };
  for (const entry of entries) {
    add(entry);
    for (const skin of entry.skins ?? []) add(skin);
  }
  return index;
}

function openmojiIndex(): Map<string, OpenmojiEntry> {
  const entries = readJson<OpenmojiEntry[]>(join(openmojiRoot, "data", "openmoji.json"));
  return new Map(entries.map((entry) => [normalizeHexcode(entry.hexcode), entry]));
}

export function buildStarterLibrary(): StarterLibrary {
  const openmojiVersion = readJson<{ version: string }>(join(openmojiRoot, "package.json")).version;
  const emojibaseVersion = readJson<{ version: string }>(join(emojibaseRoot, "package.json")).version;
  const en = labelIndex("en");
  const es = labelIndex("es");
  const openmoji = openmojiIndex();

  const problems: string[] = [];
  const seen = new Map<string, string>();
  const topics: StarterTopic[] = [];

  for (const topic of TOPICS) {
    const cards: StarterCard[] = [];
    for (const requested of topic.hexcodes) {
      const key = normalizeHexcode(requested);
      const where = `${topic.slug}/${requested}`;
      const previous = seen.get(key);
      if (previous) {
        problems.push(`${where}: picture already used in topic "${previous}"`);
        continue;
      }
      seen.set(key, topic.slug);
      if (SKIN_TONE.test(key)) problems.push(`${where}: skin-tone variant`);
      if (REGIONAL_INDICATOR.test(key)) problems.push(`${where}: flag`);

      const om = openmoji.get(key);
      if (!om) {
        problems.push(`${where}: not in OpenMoji data`);
        continue;
      }
      if (om.skintone) problems.push(`${where}: OpenMoji skin-tone variant`);
      if (om.group.startsWith("flags") || om.group.startsWith("extras")) {
        problems.push(`${where}: OpenMoji group "${om.group}" not allowed`);
      }
      // OpenMoji names files exactly by its own hexcode (FE0F kept where OpenMoji keeps it).
      const svg = `color/svg/${om.hexcode}.svg`;
      if (!existsSync(join(openmojiRoot, svg))) problems.push(`${where}: missing ${svg}`);

      const enLabel = en.get(key)?.trim();
      const esLabel = es.get(key)?.trim();
      if (!enLabel) problems.push(`${where}: no English label in emojibase-data`);
      if (!esLabel) problems.push(`${where}: no Spanish label in emojibase-data`);
      if (!enLabel || !esLabel) continue;

      cards.push({ hexcode: om.hexcode, svg, en: enLabel, es: esLabel });
    }
    if (cards.length < MIN_CARDS_PER_TOPIC || cards.length > MAX_CARDS_PER_TOPIC) {
      problems.push(`${topic.slug}: ${cards.length} cards (want ${MIN_CARDS_PER_TOPIC}-${MAX_CARDS_PER_TOPIC})`);
    }
    topics.push({ slug: topic.slug, title: topic.title, description: topic.description, cards });
  }

  if (new Set(TOPICS.map((t) => t.slug)).size !== TOPICS.length) problems.push("duplicate topic slug");
  if (topics.length < MIN_TOPICS) problems.push(`only ${topics.length} topics (want ${MIN_TOPICS})`);
  if (seen.size < MIN_DISTINCT_PICTURES) {
    problems.push(`only ${seen.size} distinct pictures (want ${MIN_DISTINCT_PICTURES})`);
  }
  if (problems.length > 0) {
    throw new Error(`Starter library has problems:\n  ${problems.join("\n  ")}`);
  }

  return {
    source: {
      pictures: `OpenMoji ${openmojiVersion} (CC BY-SA 4.0)`,
      words: `emojibase-data ${emojibaseVersion} (MIT)`,
    },
    topics,
  };
}

function main(): void {
  const library = buildStarterLibrary();
  const outFile = join(repoRoot, "db", "seed", "starter-library.json");
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(library, null, 2)}\n`);
  const total = library.topics.reduce((sum, topic) => sum + topic.cards.length, 0);
  for (const topic of library.topics) console.log(`${topic.slug.padEnd(18)} ${topic.cards.length}`);
  console.log(`${library.topics.length} topics, ${total} cards -> ${outFile}`);
}

if (process.argv[1] && resolve(process.argv[1]) === scriptPath) main();
