// Editorial decisions applied on top of the upstream word lists by build-lexicons.mjs.
//
// The upstream lists were built for other jobs (cuss: "how sure is it that this word is profane"; naughty-words:
// "what a stock-photo site won't autocomplete"), so both hold words that are ordinary in chat. Everything here says
// why it is dropped or re-rated; the build fails if an entry names a term the pinned sources don't have, so a typo or
// an upstream change can't silently turn a decision off.

/** English terms never shipped, grouped by the reason. */
export const excludeEnglish = {
  // Everyday words, names and places that dominate their profane sense in chat.
  everyday: [
    'alaskan pipeline', 'baby juice', 'ball kicking', 'bareback', 'barenaked', 'barf', 'barface', 'barfface', 'beanbag',
    'beanbags', 'big black', 'blonde action', 'bogan', 'bong', 'booty', 'brunette action', 'buffies', 'bule', 'bules',
    'bung', 'butt', 'carruth', 'chav', 'cheesehead', 'cheeseheads', 'chug', 'chugs', 'chunkies', 'chunky', 'chunkys',
    'cockfight', 'cocky', 'commie', 'dahmer', 'dink', 'dinks', 'dix', 'dong', 'dope', 'eight ball', 'eight balls', 'ero',
    'evl', 'exkwew', 'fingering', 'flange', 'floo', 'flydie', 'flydye', 'footstar', 'forni', 'fu', 'gables', 'gangsta',
    'geez', 'geezer', 'geni', 'girl on', 'girl on top', 'gora', 'goras', 'greaser', 'greasers', 'gringo', 'gringos',
    'hapa', 'haole', 'haoles', 'hillbillies', 'hillbilly', 'ho', 'hobo', 'hoes', 'honger', 'honkers', 'hooters', 'hori',
    'horis', 'hoser', 'hot chick', 'huge fat', 'jeez', 'jelly donut', 'jig', 'jigger', 'jiggers', 'jiggy', 'jigs',
    'juggalo', 'kwa', 'limey', 'limy', 'lugan', 'make me come', 'muncher', 'mzungu', 'mzungus', 'nip', 'noonan',
    'octopussy', 'orga', 'panti', 'payo', 'pegging', 'pom', 'pommie', 'pommies', 'pommy', 'poms', 'poo', 'poof', 'poop',
    'pooper', 'pooperscooper', 'pooping', 'pric', 'puke', 'quickie', 'rearend', 'redneck', 'rednecks', 'rere',
    'russki', 'sadis', 'sadom', 'sandm', 'santorum', 'scallywag', 'shav', 'shrimping', 'sixsixsix', 'skeet', 'slave',
    'snowballing', 'spig', 'spit', 'spitter', 'spread legs', 'sqeh', 'squarehead', 'squareheads', 'stringer',
    'suicide girls', 'sultry women', 'swalow', 'swinger', 'taff', 'tainted love', 'tang', 'taste my', 'teste',
    'thirdeye', 'threeway', 'tied up', 'tight white', 'tinker', 'tinkers', 'tongue in a', 'tortur', 'triplex',
    'tuckahoe', 'turnon', 'tushy', 'twink', 'twinkie', 'uck', 'undressing', 'usama', 'vibr', 'vomit', 'wab', 'weenie',
    'welcher', 'welfare', 'wetb', 'whacker', 'whash', 'whiz', 'whop', 'wn', 'wrapping men', 'wuss', 'wuzzie', 'xx',
    'xxx', 'yank', 'yanks', 'yaoi', 'negro', 'negros', 'gypsy', 'gypsies', 'gypsys', 'willie', 'kum', 'kums',
    'cumquat', 'kumquat', 'booby', 'cumming',
  ],
  // Not slurs at all, only spelled like one (cuss rates "niggardly" 0 but its relatives 2).
  falseFriends: [
    'niggard', 'niggarded', 'niggarding', 'niggardliness', 'niggardlinesss', 'niggards', 'niggle', 'niggled',
    'niggles', 'niggling', 'nigglings',
  ],
  // Clinical or descriptive vocabulary: people need it to talk about health, news and safety. Sexual content is a
  // classifier's job (the ONNX model), not a swear-word check's.
  descriptive: [
    'anus', 'clitoris', 'domination', 'ejaculation', 'erotic', 'erotism', 'escort', 'eunuch', 'fecal', 'genitals',
    'hard core', 'hardcore', 'homoerotic', 'how to kill', 'how to murder', 'incest', 'intercourse', 'lolita',
    'lovemaking', 'neonazi', 'nipple', 'nipples', 'nsfw', 'nsfw images', 'nude', 'nudity', 'paedophile', 'panties',
    'panty', 'pedophile', 'penis', 'playboy', 'prince albert piercing', 'rape', 'raping', 'rapist', 'rectum', 'sadism',
    'scat', 'scissoring', 'semen', 'sex', 'sexo', 'sexual', 'sexuality', 'sexually', 'sexy', 'snatch', 'strappado',
    'strip club', 'swastika', 'tit', 'topless', 'transvestite', 'tribadism', 'vagina', 'voyeur', 'vulva', 'zoophilia',
    'kinky', 'suck', 'sucks', 'cialis', 'viagra',
  ],
  // Insults rather than swearing: they live in toxicity.json, where second-person targeting decides their weight.
  insults: ['dumb', 'idiot', 'looser', 'loser', 'lowlife', 'moron', 'retard', 'retarded', 'stupid', 'tard'],
};

/**
 * Severity pins for English terms (1 mild, 2 moderate, 3 severe), applied after the source-derived severity.
 * cuss rates by certainty, not strength: "crap" and "motherfucker" are both 2 there.
 */
export const englishSeverity = {
  mild: [
    'anal', 'arse', 'bollock', 'bollocks', 'boner', 'bugger', 'buggered', 'bullcrap', 'crap', 'crapola', 'crapper',
    'crappy', 'damnit', 'dammit', 'fubar', 'god damn', 'godammit', 'goddamit', 'goddammit', 'goddamn', 'goddamned',
    'goddamnes', 'goddamnit', 'hotdamn', 'japcrap', 'krap', 'krappy', 'pissed', 'smut', 'wtf', 'porn', 'porno',
    'pornography', 'horny', 'boob', 'boobs', 'boobies', 'pimp',
  ],
  moderate: [
    'bastard', 'bitch', 'bitches', 'cock', 'dick', 'dildo', 'pussy', 'shit', 'strapon', 'tits', 'ass', 'asses',
    'hooker', 'hookers',
  ],
  severe: ['fag', 'white power', 'pthc', 'nig nog'],
};

/**
 * Compounds of the moderate words are moderate too, unless they carry something stronger. Explicit pins win.
 */
export const englishModeratePattern =
  /^(arse|ass|bitch|bull|butt|crap|dick|dip|horse|jack|piss|prick|shit|tit|twat|wank)/;
export const englishStrongPattern = /(fuck|cunt|nigg|whore|slut|rape|cock|coon)/;

/**
 * Phrases in which a listed word is innocent. They ship with category "allow": the matcher drops any match inside
 * one, and reports none for the phrase itself.
 */
export const allowPhrases = [
  'bastard sword', 'cock a doodle doo', 'cock and bull', 'cum laude', "dick's sporting goods", 'dick cheney',
  'dick tracy', 'dick van dyke', 'homo erectus', 'homo sapiens', 'moby dick', 'philip k dick', 'pussy willow',
  'spotted dick', 'tom dick and harry',
];

/**
 * Other languages: the upstream lists mix swearing with everyday words ("cerveja" is beer, "schatje" is darling,
 * "comer" is to eat) and with words that are English ("bite", "con", "pot"), so only listed terms are taken. Severity
 * is 2 unless pinned. A term whose accent-folded form is a common word is left out ("coño" folds to "cono", a cone).
 */
export const otherLanguages = {
  de: {
    keep: [
      'arsch', 'arschficker', 'arschlecker', 'arschloch', 'ficken', 'fotze', 'hure', 'hurensohn', 'kacke',
      'kanake', 'muschi', 'neger', 'nutte', 'pimmel', 'scheiße', 'scheisser', 'schlampe', 'schwanzlutscher',
      'schwuchtel', 'titten', 'vollpfosten', 'wichse', 'wichsen', 'wichser',
    ],
    severe: ['fotze', 'hurensohn', 'kanake', 'neger', 'schwuchtel'],
    mild: ['kacke', 'vollpfosten'],
  },
  es: {
    keep: [
      'bollera', 'cabrón', 'chupapollas', 'concha de tu madre', 'gilipollas', 'hija de puta', 'hijaputa', 'hijo de puta',
      'hijoputa', 'jilipollas', 'lameculos', 'marica', 'maricón', 'mariconazo', 'mierda', 'pendejo', 'puta',
      'soplapollas', 'verga', 'vete a la mierda',
    ],
    severe: ['concha de tu madre', 'hija de puta', 'hijaputa', 'hijo de puta', 'hijoputa', 'maricón', 'mariconazo'],
    mild: [],
  },
  fr: {
    keep: [
      'branleur', 'connard', 'connasse', 'couilles', 'enculé', 'enculée', 'enculeur', 'enfoiré', 'enfoirée',
      'fille de pute', 'fils de pute', 'foutre', 'gouine', 'la putain de ta mère', 'merde', 'nique ta mère',
      'nique ta race', 'nègre', 'pouffiasse', 'putain', 'pute', 'pédé', 'sac à merde', 'salaud', 'salope',
      'trou du cul',
    ],
    severe: [
      'enculé', 'enculée', 'fille de pute', 'fils de pute', 'gouine', 'la putain de ta mère', 'nique ta mère',
      'nique ta race', 'nègre', 'pédé',
    ],
    mild: ['merde', 'putain'],
  },
  it: {
    keep: [
      'cazzata', 'cazzo', 'coglione', 'coglioni', 'culattone', 'figlio di puttana', 'frocio', 'leccaculo', 'merda',
      'mignotta', 'minchia', 'pompino', 'porca puttana', 'puttana', 'recchione', 'sborra', 'stronza', 'stronzata',
      'stronzo', 'testa di cazzo', 'troia', 'vaffanculo', 'zoccola',
    ],
    severe: ['culattone', 'figlio di puttana', 'frocio', 'recchione', 'vaffanculo'],
    mild: ['cazzata', 'stronzata'],
  },
  nl: {
    keep: [
      'flikker', 'godverdomme', 'hoer', 'hufter', 'klootzak', 'kut', 'neuken', 'rotzak', 'schijt', 'slet', 'stront',
      'teringlijer', 'zakkenwasser',
    ],
    severe: ['flikker', 'teringlijer'],
    mild: ['godverdomme'],
  },
  pt: {
    keep: [
      'boceta', 'bosta', 'cabrao', 'caralho', 'colhoes', 'cona', 'filho da puta', 'foda', 'foda-se', 'foder',
      'paneleiro', 'porra', 'puta', 'puta que pariu', 'puta que te pariu', 'vai tomar no cu', 'vai-te foder',
    ],
    severe: ['filho da puta', 'paneleiro', 'puta que pariu', 'puta que te pariu', 'vai tomar no cu', 'vai-te foder'],
    mild: ['porra'],
  },
};
