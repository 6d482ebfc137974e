package demo

import (
	"strings"
	"unicode"
)

// The names below are written for the demo. People's names are drawn from
// many backgrounds, as the health and care workforce is; places are made up
// from parts, so that no organisation is a real one.

var givenNames = strings.Fields(`
	Oliver George Harry Jack Thomas James William Samuel Daniel Joseph Matthew David Michael Peter
	Richard Paul Mark Andrew Stephen Christopher Liam Callum Ryan Jamie Owen Rhys Dylan Gareth Iwan
	Euan Fraser Alistair Connor Sean Ciaran Niall Declan Amelia Olivia Isla Emily Ava Sophie Grace
	Lucy Hannah Charlotte Jessica Rebecca Sarah Laura Emma Rachel Claire Helen Joanne Karen Susan
	Margaret Patricia Julie Nicola Kirsty Gemma Katie Megan Chloe Ellie Abigail Bethan Cerys Ffion
	Seren Siobhán Aoife Niamh Róisín Eilidh Morag Catriona Aarav Arjun Rohan Vikram Sanjay Rajesh
	Anil Deepak Harpreet Gurpreet Manjit Sukhwinder Imran Asif Tariq Usman Bilal Zain Hamza Ayaan
	Priya Anjali Deepa Kavita Sunita Meera Nisha Pooja Shreya Aisha Fatima Ayesha Zainab Nadia Sana
	Farah Rukhsana Shabana Nasreen Tahmina Rahima Shamima Rubina Mohammed Abdul Rahim Kamal Saiful
	Anwar Nirosha Tharshini Kumaran Suresh Lakshmi Dinesh Jismon Bincy Anju Jincy Shiny Tintu Sijo
	Reshma Maricel Rowena Jocelyn Marilou Analyn Rodel Arnel Chinedu Oluwaseun Adebayo Olumide
	Emeka Ngozi Chiamaka Funmilayo Adaeze Folake Temitope Kwame Kofi Ama Akosua Abena Yaw Tendai
	Tatenda Rutendo Chipo Farai Nyasha Blessing Precious Mercy Amara Zawadi Wanjiru Fatou Mariama
	Abdi Hodan Ayan Marcia Delroy Winston Claudette Paulette Errol Leroy Maxine Jermaine Shanice
	Agnieszka Katarzyna Magdalena Joanna Piotr Tomasz Krzysztof Łukasz Paweł Marta Ana Maria Ioana
	Andreea Elena Mihai Andrei Alexandru Cristina Sofia Giulia Marco Luca Francesca João Inês
	Beatriz Tiago Rui Carmen Lucía Javier Pablo Nuno Eleni Dimitrios Georgios Katerina Zoë Chloé
	Aurélie Bogdan Daria Oksana Olena Yusuf Elif Emre Zeynep Mehmet Wei Jing Mei Xin Hui Jun Yan
	Hao Min Hiroshi Yuki Kenji Aiko Thanh Linh Minh Huong Omar Ahmed Ali Hassan Khalid Layla Mariam
	Noor Rania Yasmin Reza Dariush Shirin Parisa Amir Bishnu Sita Gita Ramesh Anita Sunil Pratima
	Binod Jin-woo Seo-yeon Mary-Jane Jean-Paul`)

var familyNames = strings.Split(`Smith|Jones|Taylor|Brown|Williams|Wilson|Johnson|Davies|Robinson|`+
	`Wright|Thompson|Evans|Walker|White|Roberts|Green|Hall|Wood|Jackson|Clarke|Hughes|Edwards|Harris|`+
	`Lewis|Turner|Hill|Cooper|Ward|Morris|Moore|Clark|Baker|Harrison|King|Morgan|Allen|Mitchell|Bell|`+
	`Carter|Phillips|Marshall|Bennett|Shaw|Chapman|Ellis|Fletcher|Kelly|Murphy|Ryan|O'Brien|O'Connor|`+
	`McCarthy|Byrne|Doyle|Gallagher|Campbell|Stewart|MacDonald|Fraser|Robertson|Sinclair|McLeod|`+
	`Griffiths|Lloyd|Price|Pritchard|Llewellyn|Rees|Powell|Jenkins|Owen|Parry|Patel|Shah|Mistry|`+
	`Parmar|Chauhan|Solanki|Desai|Mehta|Joshi|Sharma|Gupta|Kumar|Singh|Kaur|Gill|Sandhu|Dhillon|`+
	`Sidhu|Bains|Khan|Ahmed|Hussain|Ali|Akhtar|Iqbal|Rashid|Malik|Chaudhry|Butt|Mahmood|Begum|Miah|`+
	`Uddin|Rahman|Islam|Chowdhury|Hoque|Perera|Fernando|Jayasuriya|Wickramasinghe|Nair|Menon|Pillai|`+
	`Thomas|Joseph|Varghese|Kurian|Mathew|George|Abraham|Jacob|Santos|Reyes|Cruz|Bautista|Garcia|`+
	`Mendoza|Dela Cruz|Villanueva|Ramos|Aquino|Castillo|Okafor|Okonkwo|Adeyemi|Ogunleye|Olaniyan|`+
	`Eze|Nwosu|Obi|Mensah|Asante|Boateng|Owusu|Appiah|Agyeman|Moyo|Ncube|Dube|Sibanda|Mutasa|`+
	`Mwangi|Odhiambo|Kamara|Conteh|Diallo|Bangura|Abdi|Hassan|Warsame|Jama|Mohamed|Grant|Francis|`+
	`Henry|Douglas|Baptiste|Charles|Samuels|McKenzie|Kowalski|Nowak|Wiśniewska|Wójcik|Kamiński|`+
	`Lewandowska|Zieliński|Popescu|Ionescu|Stoica|Dumitru|Constantin|Radu|Rossi|Russo|Ferrari|`+
	`Esposito|Bianchi|Romano|Costa|Ferreira|Pereira|Oliveira|Rodrigues|Gonçalves|Martins|García|`+
	`Fernández|López|Martínez|Papadopoulos|Georgiou|Nikolaidis|Yılmaz|Kaya|Demir|Şahin|Kovalenko|`+
	`Shevchenko|Horváth|Novak|Murray|Chen|Wang|Li|Zhang|Liu|Wong|Lee|Chan|Lam|Cheung|Ng|Tan|Lim|`+
	`Nguyen|Tran|Pham|Le|Kim|Park|Choi|Tanaka|Sato|Haddad|Khoury|Mansour|Karimi|Hosseini|Rahimi|`+
	`Nasser|Saleh|Smith-Jones|Ashworth-Blake`, "|")

// Parts of made-up place names: a start and an ending, sometimes with a
// word in front.
var (
	placeStarts = strings.Fields(`Ash Bram Brock Cald Carn Clay Cran Dal Dun Elm Fair Fen Frod Gal Glen
		Gorm Hal Hart Hazel Holm Kel Kes Kin Lang Lark Lox Lyd Mar Mel Mill Nor Oak Orm Pen Pit Rad
		Raven Red Rush Sal Sand Shel Stan Stock Tan Thorn Tid Ul Wan Wend Wex Whit Wil Wyn Yar Brad
		Cheld Ebb Farn Grin`)
	placeEnds = strings.Fields(`bury by combe cott dale den field ford gate ham hampton holme hurst
		ing leigh ley low mere minster moor mouth ness port stead stow thorpe ton well wick worth
		brook bridge cester haven`)
	placeFronts = strings.Fields(`Upper Lower Great Little North South East West Kings Market Old New`)
	trees       = strings.Fields(`Alder Ash Beech Birch Cedar Chestnut Elm Hawthorn Hazel Holly Larch
		Linden Maple Oak Poplar Rowan Sycamore Willow Yew Juniper Laurel Magnolia`)
	flowers = strings.Fields(`Bluebell Heather Lavender Primrose Foxglove Meadowsweet Clover Marigold
		Bramble Thistle Snowdrop Cowslip`)
)

// asciiFold maps the accented letters of the name lists to the plain
// letters that email addresses are written with.
var asciiFold = map[rune]string{
	'á': "a", 'à': "a", 'â': "a", 'ã': "a", 'ä': "a", 'ą': "a", 'ă': "a",
	'ç': "c", 'ć': "c", 'é': "e", 'è': "e", 'ê': "e", 'ë': "e", 'ę': "e",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i", 'ı': "i", 'ł': "l", 'ñ': "n", 'ń': "n",
	'ó': "o", 'ò': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ő': "o",
	'ś': "s", 'ş': "s", 'ș': "s", 'ț': "t", 'ú': "u", 'ù': "u", 'û': "u", 'ü': "u",
	'ź': "z", 'ż': "z", 'ğ': "g",
}

// emailPart turns a name into the part of an email address it is known
// by: lower case, plain letters, no spaces or apostrophes.
func emailPart(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-':
			b.WriteRune(r)
		case asciiFold[r] != "":
			b.WriteString(asciiFold[r])
		}
	}
	return b.String()
}

// slugSkip are words left out of an organisation's part of an email domain.
var slugSkip = map[string]bool{"nhs": true, "foundation": true, "trust": true, "the": true, "and": true, "of": true}

// slug turns an organisation's name into a short domain label, such as
// "kelbury-teaching-hospitals" for "Kelbury Teaching Hospitals NHS Trust".
func slug(name string) string {
	name = strings.ReplaceAll(name, "Integrated Care Board", "ICB")
	var words []string
	length := 0
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		w = emailPart(w)
		if w == "" || slugSkip[w] {
			continue
		}
		if length+len(w) > 40 && len(words) > 0 {
			break
		}
		words = append(words, w)
		length += len(w) + 1
	}
	return strings.Join(words, "-")
}
