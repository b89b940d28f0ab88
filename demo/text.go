package demo

import (
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The free texts are built from templates about places and situations,
// never people: no names, numbers, addresses or contact details, so that
// they pass the personal-data check like a careful reporter's text would.
//
// {plats} is a phrase for the place, {tid} for the time of day, {antal} a
// rough number of people in words ({Antal} capitalised).
var templates = map[string][]string{
	"skadegorelse": {
		"Krossad ruta {plats}. Glassplitter på marken, avspärrat tills vidare.",
		"Sönderslagen belysningsarmatur {plats} {tid}.",
		"Vandalisering {plats}: sparkade dörrar och trasig brevlåda.",
		"Skadegörelse på cykelställ och papperskorgar {plats} {tid}.",
		"Bänkar och bord har ristats och bränts {plats}.",
	},
	"klotter": {
		"Nytt klotter {plats}, taggar i svart sprayfärg.",
		"Omfattande klotter {plats}. Behöver saneras.",
		"Taggar på fasad och elskåp {plats}, samma signatur som tidigare i området.",
		"Klotter med kränkande budskap {plats}, bör prioriteras för sanering.",
	},
	"anlagd_brand": {
		"Brand i papperskorg {plats} {tid}. Släckt innan räddningstjänsten kom.",
		"Anlagd brand i soprum {plats}. Räddningstjänsten larmades.",
		"Brand i container {plats} {tid}, misstänkt anlagd.",
		"Det har eldats i buskage {plats}, brandrester och tändvätska hittades.",
	},
	"fordonsbrand": {
		"Bilbrand {plats} {tid}. Räddningstjänsten på plats.",
		"Brand i moped {plats}, misstänkt anlagd.",
		"Utbränd bil upptäckt {plats}.",
	},
	"ungdomar_stok": {
		"{Antal} ungdomar samlades {plats} {tid}. Hög ljudnivå och stök.",
		"En grupp på {antal} ungdomar {plats} kastade saker mot förbipasserande.",
		"Stökigt {plats} {tid} med {antal} ungdomar. Lugnade sig efter samtal.",
		"Ungdomar samlas återkommande {plats}. Många upplever platsen som otrygg.",
	},
	"mopedbuskorning": {
		"Mopeder buskör {plats} {tid}, höga hastigheter bland gående.",
		"Mopedbuskörning {plats}. Flera trimmade mopeder, fara för barn.",
		"Upprepad mopedkörning {plats} {tid}. Boende störda.",
	},
	"fyrverkerier": {
		"Fyrverkerier avfyrades mot människor {plats} {tid}.",
		"Smällare kastades {plats}. Oroliga boende.",
		"Raketer sköts horisontellt {plats} {tid}.",
	},
	"alkohol": {
		"Berusade personer {plats} {tid}. Flaskor och burkar kvarlämnade.",
		"Misstänkt langning av alkohol {plats}, minderåriga i närheten.",
		"Alkoholförtäring bland unga {plats} {tid}.",
		"Kraftigt berusad person {plats}, ambulans tillkallad.",
	},
	"social_oro": {
		"Spänd stämning {plats} {tid}. {Antal} ungdomar samlade, sten kastades mot en buss.",
		"Oro i området: grupper rör sig {plats} och hotar personal.",
		"Ungdomar kastade sten mot en polisbil {plats} {tid}.",
		"Upprepade incidenter {plats}. Boende och personal känner sig otrygga.",
	},
	"hot_personal": {
		"Personal hotades verbalt {plats} {tid}.",
		"Hot mot personal {plats} i samband med en tillsägelse.",
		"Personal trängdes undan och hotades {plats}. Händelsen är polisanmäld.",
	},
	"vald": {
		"Slagsmål {plats} {tid}. En person lindrigt skadad.",
		"Misshandel {plats} {tid}. Polis tillkallad.",
		"Knuffar och slag {plats}, flera inblandade.",
	},
	"ran": {
		"Rån mot en ungdom {plats} {tid}. Mobiltelefon och jacka togs.",
		"Misstänkt förnedringsrån {plats}. Händelsen ska ha filmats.",
		"Rånförsök {plats} {tid}. Gärningspersonerna sprang från platsen.",
	},
	"skottlossning": {
		"Larm om skottlossning {plats} {tid}. Polis på plats, ingen skadad.",
		"Smällar som liknade skott hördes {plats}. Tomhylsor hittades.",
	},
	"vapen": {
		"Person med kniv {plats} {tid}. Polis ingrep.",
		"Misstänkt vapen hittades {plats}.",
	},
	"vittnespaverkan": {
		"Boende säger att de inte vågar vittna om det som händer {plats}.",
		"Signaler om påtryckningar mot vittnen efter en händelse {plats}.",
	},
	"narkotika_forsaljning": {
		"Misstänkt narkotikaförsäljning {plats} {tid}. Bilar som stannar kort.",
		"Återkommande misstänkt langning av narkotika {plats}, unga i målgruppen.",
		"Flera korta möten {plats} {tid} som tyder på försäljning.",
	},
	"narkotika_paverkade": {
		"Påverkade personer {plats} {tid}.",
		"En ungdom verkade narkotikapåverkad {plats}. Kontakt togs med vårdnadshavare.",
		"Stark lukt av cannabis {plats} {tid}.",
	},
	"narkotika_fynd": {
		"Fynd av misstänkt narkotika {plats}. Överlämnat till polis.",
		"Små påsar med pulver hittade {plats}.",
	},
	"otrygg_belysning": {
		"Trasig belysning {plats}. Mörkt och otryggt efter skymningen.",
		"Belysningen har varit släckt i flera veckor {plats}.",
		"Dålig belysning {plats}, flera säger att de undviker platsen.",
	},
	"otrygg_skymd_sikt": {
		"Igenvuxna buskar skymmer sikten {plats}.",
		"Otrygg passage {plats}: skymd sikt och ingen insyn.",
	},
	"nedskrapning": {
		"Mycket skräp {plats}, bland annat flaskor och pizzakartonger.",
		"Nedskräpning {plats} efter helgen.",
		"Överfulla papperskorgar och skräp {plats}.",
	},
	"sprutfynd": {
		"Kanyl hittad {plats}, omhändertagen på säkert sätt.",
		"Flera sprutor {plats}. Platsen behöver ses över.",
	},
	"sexhandel": {
		"Tecken på sexhandel {plats} {tid}. Bilar som cirkulerar och stannar.",
		"Misstänkt köp av sexuell tjänst {plats}.",
		"Annonsering för sex med koppling till platsen har uppmärksammats.",
	},
	"sugardejting": {
		"Uppgifter om att minderåriga kontaktas via sugardejtingsidor. Socialtjänsten informerad.",
		"Oro för unga som träffar äldre personer via sugardejting, med träffar {plats}.",
	},
	"inbrott": {
		"Inbrott i källarförråd {plats}. Flera förråd uppbrutna.",
		"Inbrott {plats} {tid}. Dörr uppbruten.",
		"Inbrottsförsök {plats}, märken efter bändning.",
	},
}

// placePhrases says where, per place type.
var placePhrases = map[string][]string{
	"skola":           {"på skolgården", "vid skolans entré", "i skolans korridor", "vid skolans idrottshall"},
	"centrum":         {"på torget i {omrade}", "i {omrade} centrum", "vid centrumbyggnaden"},
	"butik":           {"i butiken", "utanför livsmedelsbutiken", "vid butikens entré"},
	"bostad":          {"i ett trapphus", "på innergården", "vid soprummet", "i källargången", "vid lekplatsen på gården"},
	"park":            {"i parken", "vid lekplatsen", "i grönområdet", "vid motionsspåret"},
	"gata":            {"på gång- och cykelvägen", "vid gångtunneln", "längs huvudgatan", "vid övergångsstället"},
	"kollektivtrafik": {"vid busshållplatsen", "i busskuren", "på bussen", "vid stationen"},
	"parkering":       {"på parkeringen", "i parkeringsgaraget", "på infartsparkeringen"},
	"fritid":          {"vid fritidsgården", "vid idrottsplatsen", "vid badet", "vid ishallen"},
	"krog":            {"utanför krogen", "i kön till nattklubben", "utanför restaurangen"},
	"natur":           {"vid stranden", "i skogen bakom bostadsområdet", "vid älvstranden"},
	"annat":           {"i området", "vid ett hotell", "i anslutning till området"},
}

// cityCentrePhrases are real places in Umeå's centre, for a sense of place.
var cityCentrePhrases = map[string][]string{
	"centrum":         {"på Rådhustorget", "vid Renmarkstorget", "på Kungsgatan", "i Utopia-gallerian"},
	"kollektivtrafik": {"vid Vasaplan", "vid busshållplatsen på Skolgatan"},
	"park":            {"i Döbelns park", "i Rådhusparken", "vid Broparken"},
	"natur":           {"vid älvstranden", "på Strandpromenaden"},
}

var amounts = []string{"ett par", "ett fåtal", "ett tiotal", "ett femtontal", "ett tjugotal"}

// followUp is a sentence a partner often adds, for some categories (all
// when none are listed).
type followUp struct {
	text       string
	categories []string
}

var (
	youth  = []string{"ungdomar_stok", "alkohol", "mopedbuskorning", "social_oro", "narkotika_paverkade", "fyrverkerier"}
	damage = []string{"skadegorelse", "klotter", "anlagd_brand", "inbrott", "otrygg_belysning"}
	mess   = []string{"klotter", "nedskrapning", "sprutfynd"}
	crime  = []string{"vald", "ran", "hot_personal", "inbrott", "skadegorelse", "narkotika_forsaljning", "vapen"}
)

// followUps is what each kind of partner often adds.
var followUps = map[string][]followUp{
	"polisen-umea":    {{"Polis på plats.", nil}, {"Ärendet är anmält.", crime}, {"Patrull gjorde kontroll i området.", nil}},
	"faltgruppen":     {{"Fältgruppen pratade med ungdomarna.", youth}, {"Vi följer upp nästa kväll.", nil}, {"Kontakt förmedlad till fritidsgården.", []string{"ungdomar_stok", "social_oro"}}},
	"bostaden":        {{"Felanmälan gjord.", damage}, {"Sanering beställd.", mess}, {"Boende informerade via anslag.", nil}},
	"school":          {{"Rektor informerad.", nil}, {"Skolans trygghetsteam följer upp.", nil}, {"Vaktmästaren informerad.", damage}},
	"nattvandrarna":   {{"Vi stannade kvar en stund.", nil}, {"Lugnt när vi lämnade platsen.", youth}, {"Vi ringde polisen.", crime}},
	"alidhem-centrum": {{"Väktare tillkallad.", nil}, {"Polisanmälan gjord.", crime}, {"Personalen är oroliga.", nil}},
	"centrumvakterna": {{"Ordningsvakter ingrep.", nil}, {"Överlämnat till polis.", crime}},
	"umebra":          {{"Noterat vid trygghetsvandring.", nil}, {"Tas upp på veckomötet.", nil}},
	"umea-kommun":     {{"Åtgärd beställd.", nil}, {"Läggs in i underhållsplanen.", damage}},
}

// timePhrase names the part of the day of a local hour; school staff speak
// of the school day.
func timePhrase(hour int, school bool) string {
	switch {
	case school && hour >= 11 && hour < 13:
		return "under lunchrasten"
	case school && hour >= 8 && hour < 16:
		return "under skoltid"
	case hour >= 6 && hour < 9:
		return "på morgonen"
	case hour >= 9 && hour < 12:
		return "på förmiddagen"
	case hour >= 12 && hour < 17:
		return "på eftermiddagen"
	case hour >= 17 && hour < 22:
		return "på kvällen"
	}
	return "under natten"
}

// describe writes the free text of one report.
func describe(r *rand.Rand, src *source, category, place string, d district, hour int, found bool) string {
	phrases := placePhrases[place]
	if d.code == "centrum" && cityCentrePhrases[place] != nil {
		phrases = cityCentrePhrases[place]
	}
	plats := strings.ReplaceAll(pick(r, phrases), "{omrade}", d.name)
	tid := timePhrase(hour, src.schoolDays)
	if found {
		tid = ""
	}
	amount := pick(r, amounts)
	text := pick(r, templates[category])
	text = strings.NewReplacer("{plats}", plats, "{tid}", tid, "{antal}", amount, "{Antal}", capitalise(amount)).Replace(text)
	if found {
		text = "Upptäckt vid rond. " + text
	}
	key := src.org
	if src.schoolDays {
		key = "school"
	}
	if r.IntN(5) < 2 {
		var fitting []string
		for _, f := range followUps[key] {
			if f.categories == nil || slices.Contains(f.categories, category) {
				fitting = append(fitting, f.text)
			}
		}
		text += " " + pick(r, fitting)
	}
	return tidy.Replace(text)
}

// tidy removes what an empty {tid} leaves behind.
var tidy = strings.NewReplacer("  ", " ", " .", ".", " ,", ",")

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

func capitalise(s string) string {
	c, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(c)) + s[n:]
}
