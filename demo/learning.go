package demo

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"upskill"
	"upskill/store"
)

// This file makes the demo's learning: a national catalogue of lessons and
// links across the six domains, lessons that larger organisations write
// about their own systems (some shared with their neighbours or with
// everyone), care homes' adapted copies of national lessons, and the
// staff's enrolments and completions, which follow the gaps their latest
// assessment showed. Lessons are put together from the topics and settings
// below, so that each reads as written for the people who do it.

// setting is where a national lesson's learners work. Its words fill the
// placeholders of a topic: {at}, {place}, {people}, {record}, {who} and
// {desk}.
type setting struct {
	phrase  string // follows the topic in a title; "" for everyone
	heading string // the title of the lesson's page about the setting

	at, place, people, record, who, desk string

	groups []upskill.StaffGroup // the audience, or none for everyone
}

// The settings, by position; topics say which fit them.
const (
	forEveryone = iota
	onWard
	inCareHome
	inPractice
	onVisits
	inOffice
	inHomeCare
	inMentalHealth
)

var settings = []setting{
	forEveryone: {"", "Where you work", "at work", "your workplace", "the people you care for", "your care records",
		"your line manager", "your IT support team", nil},
	onWard: {"on a hospital ward", "On the ward", "on the ward", "the ward", "patients", "the electronic patient record",
		"the nurse in charge", "the IT service desk",
		[]upskill.StaffGroup{"nursing_midwifery", "clinical_support", "medical_dental", "allied_health", "students"}},
	inCareHome: {"in a care home", "In the care home", "in the home", "the home", "residents", "the digital social care record",
		"the manager on duty", "your IT support provider",
		[]upskill.StaffGroup{"care_direct", "care_management", "care_regulated", "care_other"}},
	inPractice: {"in general practice", "In the practice", "in the practice", "the practice", "patients", "the practice's clinical system",
		"the practice manager", "your IT support team",
		[]upskill.StaffGroup{"admin_clerical", "nursing_midwifery", "medical_dental", "clinical_support"}},
	onVisits: {"on home visits", "On home visits", "on home visits", "people's homes", "the people you visit", "the mobile care record",
		"your team leader", "the IT service desk",
		[]upskill.StaffGroup{"nursing_midwifery", "allied_health", "clinical_support", "care_direct"}},
	inOffice: {"for office teams", "In the office", "in the office", "the office", "patients and service users", "the systems you use",
		"your line manager", "the IT service desk", []upskill.StaffGroup{"admin_clerical"}},
	inHomeCare: {"in home care", "In home care", "on your calls", "people's homes", "the people you support", "the care app on your phone",
		"the care coordinator", "the office", []upskill.StaffGroup{"care_direct", "care_management"}},
	inMentalHealth: {"in mental health services", "In mental health services", "in your service", "your service", "the people you support",
		"the electronic patient record", "the nurse in charge", "the IT service desk",
		[]upskill.StaffGroup{"nursing_midwifery", "clinical_support", "scientific_technical", "allied_health"}},
}

// fits lists the settings a topic suits; none means all of them.
type fits []int

// topic is what a lesson teaches, written once and set in each setting
// that suits it.
type topic struct {
	title, summary string
	codes          []string // the statements it builds, the main one first
	why            string   // the first page
	steps, watch   []string // the second and third pages
	local          string   // the page about the setting
	questions      []question
	fits           fits
}

// question is a lesson's question block, with one right option unless it
// is multiple.
type question struct {
	prompt   string
	multiple bool
	options  []option
	feedback string
}

type option struct {
	text     string
	right    bool
	feedback string
}

// right and wrong make options.
func right(text string, feedback ...string) option {
	return option{text, true, strings.Join(feedback, "")}
}

func wrong(text string, feedback ...string) option {
	return option{text, false, strings.Join(feedback, "")}
}

// nationalTopics are the national team's lessons, by domain.
var nationalTopics = []topic{
	// Digital identity, wellbeing, safety and security.
	{
		title: "Locking your screen", codes: []string{"1.1"},
		summary: "Why a computer left logged in puts you and {people} at risk, and the habits that keep your login yours.",
		why:     "A computer left logged in lets anyone act as you. Whatever they look at or change is recorded under your name, and {people} may be harmed if someone sees information they should not.",
		steps: []string{
			"Lock the screen every time you step away: press the Windows key and L together, or remove your smartcard.",
			"Log out fully at the end of your shift rather than just closing the window.",
			"Never let a colleague work under your login, even for a minute. Ask them to log in as themselves.",
			"Keep your smartcard or security key with you, and report a lost one straight away.",
		},
		watch: []string{
			"Screens that face a corridor or waiting area, where others can read them.",
			"Being asked to stay logged in so that someone else can finish a task.",
			"Passwords written on notes stuck to the monitor or kept in a drawer.",
		},
		local: "{at}, computers are often shared and busy. Agree with {who} how your team hands a computer over between users, and make locking the screen a habit before you turn away.",
		questions: []question{
			{prompt: "A colleague asks to use your login to finish a note because theirs is not working. What should you do?",
				options: []option{
					wrong("Let them, as long as you stay with them", "Everything they do would be recorded as yours, and you would answer for it."),
					right("Ask them to log in as themselves and report the fault to {desk}", "Yes. Each person works under their own login, so that records show who did what."),
					wrong("Log in for them and log out afterwards", "This still records their work under your name."),
				},
				feedback: "Your login is yours alone. Sharing it breaks the record that protects you and {people}."},
			{prompt: "Which of these keep your login safe? Select all that apply.", multiple: true,
				options: []option{
					right("Locking the screen when you walk away"), right("Keeping your smartcard with you"),
					wrong("Saving your password in a note on the desktop"), wrong("Using the same password for work and home"),
				},
				feedback: "Locking the screen and keeping your card with you stop others using your login. Written-down and reused passwords are easy to steal."},
		},
	},
	{
		title: "Spotting phishing emails", codes: []string{"1.2"},
		summary: "How to recognise emails, texts and calls that try to trick you, and what to do when one arrives.",
		why:     "Phishing messages pretend to come from someone you trust, so that you click a link, open an attachment or give away a password. One click can let criminals into systems that hold information about {people}.",
		steps: []string{
			"Check who the message is really from: look at the full address, not just the name shown.",
			"Be wary of urgency, threats or offers that seem too good to be true.",
			"Hover over a link to see where it goes before you click, and do not open attachments you were not expecting.",
			"Report anything suspicious with your organisation's reporting button, or forward it as your IT team asks.",
			"If you clicked something by mistake, tell {desk} straight away. Reporting quickly limits the harm.",
		},
		watch: []string{
			"Messages that ask you to log in to confirm your account.",
			"Texts or calls that claim to be from IT and ask for a code.",
			"Invoices or delivery notes from companies you do not deal with.",
		},
		local: "{at}, a message might pretend to come from a supplier, a relative of someone you care for, or a manager. If a request is unusual, check it with {who} using a number or address you already know, not the one in the message.",
		questions: []question{
			{prompt: "An email says your password expires today and gives a link to keep it. What is the best thing to do?",
				options: []option{
					wrong("Click the link quickly so that you are not locked out", "Urgency is a common trick. The link may lead to a fake login page."),
					right("Report the email, and change your password only in the usual way", "Yes. Reporting it protects colleagues who got the same message."),
					wrong("Reply to ask whether it is genuine", "Replying tells the sender that your address is in use."),
				}},
			{prompt: "You clicked a link in an email and then realised it was fake. What now?",
				options: []option{
					wrong("Say nothing, as nothing seemed to happen", "Harm is often hidden at first. Reporting lets IT check."),
					right("Tell {desk} straight away", "Yes. The sooner they know, the sooner they can protect your account and others."),
					wrong("Delete the email and carry on"),
				},
				feedback: "Mistakes happen to everyone. What matters is reporting them quickly."},
		},
	},
	{
		title: "Sharing information safely", codes: []string{"1.3", "5.4"},
		summary: "How to share personal information with the right people, by the right route, and what to do if it goes wrong.",
		why:     "{people} trust us with personal information. Sharing it with the right people helps their care; sharing it with the wrong people, or in the wrong way, can cause real harm and break the law.",
		steps: []string{
			"Share only what the other person needs to know for the task.",
			"Use approved secure routes, such as secure email or the shared record, rather than personal email or messaging apps.",
			"Check the recipient's address before you press send, especially when the address fills itself in.",
			"If you are not sure whether to share, ask {who} or your information governance lead first.",
		},
		watch: []string{
			"Lists of names sent to the wrong group or to a personal account.",
			"Conversations about {people} that others can overhear, including on video calls.",
			"Photos of records or screens taken on personal phones.",
		},
		local: "{at}, information often has to move quickly between teams. Know which secure routes your team uses, and never let speed be the reason for using an unsafe one.",
		questions: []question{
			{prompt: "Which are safe ways to share a care plan with a partner organisation? Select all that apply.", multiple: true,
				options: []option{
					right("Approved secure email"), right("The shared care record, if both teams use it"),
					wrong("A messaging app on your own phone"), wrong("Your personal email account"),
				},
				feedback: "Approved routes protect information on the way and keep a record of what was shared."},
			{prompt: "An email with personal details went to the wrong person. What should you do first?",
				options: []option{
					wrong("Wait to see whether they reply"),
					right("Report it straight away, as your organisation asks", "Yes. Quick reporting gives the best chance of limiting harm."),
					wrong("Send another email asking them to ignore it, and tell no one"),
				}},
		},
	},
	{
		title: "Managing screens, messages and your wellbeing", codes: []string{"1.4"},
		summary: "Simple ways to stop digital work wearing you down: breaks, notifications and agreeing how your team uses messages.",
		why:     "Digital tools can make work easier, but constant messages, long spells at a screen and checking work apps at home can wear you down. Looking after yourself helps you look after {people}.",
		steps: []string{
			"Take short breaks away from the screen, and look at something in the distance every so often.",
			"Turn off notifications you do not need, and set quiet hours on work apps.",
			"Agree with your team when messages need an answer and when they can wait.",
			"Set up your chair, screen and keyboard so that you can sit comfortably.",
		},
		watch: []string{
			"Reading work messages late at night or on days off out of habit.",
			"Skipping breaks because there is always one more email.",
			"Headaches or sore eyes that you put down to tiredness.",
		},
		local: "{at}, you may use screens in short bursts between other tasks, or for long spells. Talk to {who} if the way your team uses messages or devices is adding to your stress.",
		questions: []question{
			{prompt: "What is the best way to stop work messages reaching you on a day off?",
				options: []option{
					wrong("Check them quickly so that nothing builds up"),
					right("Turn off notifications or sign out of work apps, and agree cover with your team"),
					wrong("Delete the apps and install them again each shift", "That is more effort than you need: notification settings do the job."),
				},
				feedback: "Time away from work messages helps you rest, and cover means nothing urgent is missed."},
			{prompt: "Which of these help you work comfortably at a screen? Select all that apply.", multiple: true,
				options: []option{
					right("Short breaks away from the screen"), right("A chair and screen set at the right height"),
					wrong("Working through lunch to clear your inbox"), wrong("Turning the screen as bright as it goes"),
				}},
		},
	},
	{
		title: "Using social media professionally", codes: []string{"1.5"},
		summary: "What to think about before you post, so that your social media never identifies {people} or harms trust in your service.",
		why:     "What you post online can be seen far more widely than you expect. A post that identifies someone you care for, or that criticises colleagues, can harm trust in you and your service, even from a private account.",
		steps: []string{
			"Never post photos, stories or details that could identify {people}, even without names.",
			"Check your privacy settings, and assume that anything you post could be shared.",
			"Follow your professional body's and your employer's guidance on social media.",
			"Do not accept friend requests from {people} or their families on your personal accounts.",
		},
		watch: []string{
			"Photos taken at work with records, whiteboards or people in the background.",
			"Letting off steam about a hard shift in a way that points to a real person.",
			"Groups where people share details of cases.",
		},
		local: "{at}, a celebration or a thank-you card can be tempting to share. Ask {who} how your organisation shares good news safely, with consent.",
		questions: []question{
			{prompt: "You want to post a photo from your team's leaving party. What should you check first?",
				options: []option{
					right("That nothing in the background identifies anyone you care for, and that everyone pictured agrees"),
					wrong("That your account is private, which makes anything safe", "Private posts can still be copied and shared."),
					wrong("Nothing, as it is a social event"),
				}},
			{prompt: "A relative of someone you support sends you a friend request. What should you do?",
				options: []option{
					wrong("Accept it, to build a good relationship"),
					right("Decline politely and keep contact to work channels", "Yes. This keeps a clear line between work and your private life."),
					wrong("Accept it but hide your posts from them"),
				}},
		},
	},
	{
		title: "Keeping work devices safe away from base", codes: []string{"1.6", "4.5"},
		summary: "How to look after laptops, tablets and phones when you work away from your usual base, and what to do if one goes missing.",
		why:     "Laptops, tablets and phones let you work wherever you are needed. They also hold or reach a great deal of personal information, so a lost or stolen device is a serious incident.",
		steps: []string{
			"Keep devices out of sight in the car, and never leave them in it overnight.",
			"Use the device's PIN or password, and never write it on the device or its case.",
			"Connect only to trusted networks: use your work connection or phone rather than free public Wi-Fi.",
			"Report a lost or stolen device to {desk} straight away, so that it can be locked remotely.",
		},
		watch: []string{
			"Screens that others can see in cafés, on trains or in someone's home.",
			"Lending a work phone to a member of your family.",
			"Work documents saved on a personal device.",
		},
		local: "{at}, you may carry a device from one place to the next all day. Plan where it goes between visits, and know whom to call out of hours if it goes missing.",
		questions: []question{
			{prompt: "Your work tablet is stolen from your car. What do you do first?",
				options: []option{
					right("Report it to {desk} and your manager straight away", "Yes. They can lock and wipe it before anyone gets at the information."),
					wrong("Wait a day in case it turns up"), wrong("Buy a replacement and say nothing"),
				}},
			{prompt: "Which of these help keep a work phone safe? Select all that apply.", multiple: true,
				options: []option{
					right("A PIN that only you know"), right("Installing updates when asked"),
					wrong("Free public Wi-Fi for large downloads"), wrong("Leaving it on the car seat so that you do not forget it"),
				}},
		},
		fits: fits{forEveryone, onVisits, inOffice, inHomeCare, inMentalHealth},
	},
	{
		title: "Strong passwords and two-step sign-in", codes: []string{"1.1"},
		summary: "How to make passwords that are hard to guess and easy to remember, and why two-step sign-in matters.",
		why:     "Weak or reused passwords are one of the easiest ways into a system. Two-step sign-in, where you also confirm with your phone or a code, makes a stolen password far less useful to a criminal.",
		steps: []string{
			"Use three random words to make a password that is long but easy to remember.",
			"Use a different password for work from any you use at home.",
			"Set up two-step sign-in when your organisation offers it, and keep your recovery details up to date.",
			"Never share a one-time code with anyone, even someone who says they are from IT.",
		},
		watch: []string{
			"Passwords built from names, birthdays or the name of your workplace.",
			"A sign-in request on your phone that you did not start.",
			"An old password reused with a number added on the end.",
		},
		local: "{at}, you may sign in to several systems each shift. Ask {who} whether single sign-on or a password manager is available, so that you have fewer passwords to remember.",
		questions: []question{
			{prompt: "Which of these is the strongest password?",
				options: []option{
					wrong("Summer2024!", "Seasons and years are among the first things criminals try."),
					right("KettleOrbitPuddle", "Yes. Three random words make a long password that is hard to guess."),
					wrong("Password1"),
				}},
			{prompt: "Your phone asks you to approve a sign-in that you did not start. What should you do?",
				options: []option{
					wrong("Approve it to make the message go away"),
					right("Decline it and tell {desk}, as someone may have your password"),
					wrong("Ignore it", "Ignoring it warns no one. Decline it and report it."),
				}},
		},
	},

	// Communication, collaboration and participation.
	{
		title: "Video consultations", codes: []string{"2.2", "2.4"},
		summary: "How to set up, run and record a video consultation that feels as safe and personal as meeting in the room.",
		why:     "Video calls can save {people} a journey and let colleagues join from elsewhere. A call that is well set up feels as safe and personal as meeting face to face.",
		steps: []string{
			"Test your camera, microphone and connection before the call, and close other programs.",
			"Choose a private, quiet space where no one can overhear or walk into view.",
			"At the start, check that you are speaking to the right person and that they can talk freely.",
			"Agree a plan in case the connection drops, such as calling back by phone.",
			"Record what happened in {record}, as you would after a face-to-face appointment.",
		},
		watch: []string{
			"A window or whiteboard behind you that shows other people's information.",
			"Starting without checking who else is in the room at the other end.",
			"Call links sent to the wrong address.",
		},
		local: "{at}, find out which video service your organisation has approved and where the quiet rooms or headsets are. {who} can tell you how calls are booked.",
		questions: []question{
			{prompt: "At the start of a video consultation, what should you check first?",
				options: []option{
					right("That you are speaking to the right person and they can talk privately"),
					wrong("That your background looks tidy", "Worth doing, but checking who you are speaking to and their privacy comes first."),
					wrong("That the call is being recorded"),
				}},
			{prompt: "The video freezes halfway through. What is the best plan?",
				options: []option{
					wrong("End the appointment and book another"),
					right("Follow the plan you agreed at the start, such as calling back by phone"),
					wrong("Keep waiting until it comes back"),
				}},
		},
		fits: fits{forEveryone, onWard, inCareHome, inPractice, onVisits, inMentalHealth},
	},
	{
		title: "Writing clear work emails and messages", codes: []string{"2.1"},
		summary: "How to choose the right tool for a message, and write one that busy colleagues read and act on.",
		why:     "Busy colleagues read messages quickly. A clear message with the right subject, the right people and one clear request gets acted on; a vague one gets missed.",
		steps: []string{
			"Choose the right tool: a call for urgent matters, a message for quick questions, an email for things to keep.",
			"Write a subject line that says what the message is about and whether action is needed.",
			"Put the main point or request first, then the detail.",
			"Copy in only the people who need it, and check the addresses before you send.",
		},
		watch: []string{
			"Replying to everyone when only one person needs the answer.",
			"Abbreviations that people outside your team will not know.",
			"Personal information sent by a route that is not secure.",
		},
		local: "{at}, messages are often read on small screens between tasks. Keep them short, and agree with {who} which channel your team uses for what.",
		questions: []question{
			{prompt: "Which subject line is most helpful?",
				options: []option{
					wrong("Quick question"),
					right("Action by Friday: confirm rota cover for 12 May", "Yes. It says what is needed and by when."),
					wrong("Re: Re: Fwd: update"),
				}},
			{prompt: "You need an answer within the hour about something urgent. What should you do?",
				options: []option{
					wrong("Send an email marked urgent", "It may not be read in time."),
					right("Phone or speak to the person, then follow up in writing if needed"),
					wrong("Post it in a busy group chat"),
				}},
		},
		fits: fits{forEveryone, onWard, inCareHome, inPractice, inOffice, inHomeCare, inMentalHealth},
	},
	{
		title: "Working on shared documents and team channels", codes: []string{"2.3"},
		summary: "How to keep one version of a document, share links rather than copies and keep team channels useful.",
		why:     "Shared documents, team channels and online calendars mean that everyone works from the same version. They only help if files are kept where the team can find them and people know how to use them.",
		steps: []string{
			"Save work files in the team's shared space, not on your desktop or a memory stick.",
			"Share a link to a document rather than attaching a copy, so that there is one version.",
			"Use comments to suggest changes, and resolve them once they are dealt with.",
			"Name files clearly, with a date where it helps, so that others can find them.",
		},
		watch: []string{
			"Several copies of the same document, each with different changes.",
			"Folders shared more widely than they need to be.",
			"Team channels so busy that important messages get lost.",
		},
		local: "{at}, rotas, handover notes and meeting papers are often shared online. Ask {who} where your team keeps them and who can change them.",
		questions: []question{
			{prompt: "A colleague emails you a copy of the shared rota with their changes. What is the better way?",
				options: []option{
					right("Edit the one shared version and let the team know"),
					wrong("Save both copies and compare them later"), wrong("Print it and write the changes on it"),
				}},
			{prompt: "Which make a shared file easy to find? Select all that apply.", multiple: true,
				options: []option{
					right("A clear name that says what it is"), right("Saving it in the team's shared space"),
					wrong("Naming it final final v2"), wrong("Keeping it on your own desktop"),
				}},
		},
		fits: fits{forEveryone, onWard, inCareHome, inPractice, inOffice, inMentalHealth},
	},
	{
		title: "Helping people use NHS login and the NHS App", codes: []string{"2.4", "3.3"},
		summary: "How to help someone set up NHS login and start using the NHS App, while their account stays their own.",
		why:     "NHS login lets people use the NHS App and other health websites to order repeat prescriptions, see their records and manage appointments. Many people will need a little help to get started.",
		steps: []string{
			"Check that the person wants help, and that they have a phone number or email address of their own.",
			"Let them type their own details and password; never set up an account with your details.",
			"Explain that they may be asked to prove who they are with photo ID or a short video.",
			"Show them one or two useful things first, such as ordering a repeat prescription.",
			"Point them to a local digital support service if they need more time.",
		},
		watch: []string{
			"Being handed someone's phone and asked to do it all for them.",
			"Writing down someone's password to help them remember it.",
			"Assuming that people without a smartphone cannot use online services.",
		},
		local: "{at}, people may ask for help at busy moments. Keep a short printed guide to hand, and ask {who} whether there are digital champions who can spend longer with them.",
		questions: []question{
			{prompt: "Someone asks you to set up NHS login for them with your email address, as they have none. What should you do?",
				options: []option{
					wrong("Do it, as it is only to get them started", "The account and its messages would be linked to you, not to them."),
					right("Help them make an email address of their own first, or point them to digital support"),
					wrong("Tell them it cannot be done without a smartphone"),
				}},
			{prompt: "Someone asks you to remember their password for them. What is the best answer?",
				options: []option{
					wrong("Write it in their notes"),
					right("Explain that only they should know it, and help them choose one they can remember"),
					wrong("Keep it on a sticky note in the office"),
				}},
		},
	},
	{
		title: "Making accessible documents", codes: []string{"2.5", "6.2"},
		summary: "How to make documents, letters and notices that everyone can read, including people who use screen readers.",
		why:     "Around one in five people has a disability, and many more read in a second language or on a small screen. Accessible documents can be read by everyone, including people who use screen readers or magnification.",
		steps: []string{
			"Use the built-in heading styles rather than bold text, so that screen readers can move through the document.",
			"Write in plain English, with short sentences and the most important point first.",
			"Add alternative text to images that carry meaning, and mark decorative ones as decorative.",
			"Make link text say where it goes, rather than click here.",
			"Run the accessibility checker in your office software before you share.",
		},
		watch: []string{
			"Information shown only by colour, such as red for urgent.",
			"Scanned documents that are pictures of text.",
			"Small, light grey text on a white background.",
		},
		local: "{at}, leaflets, letters and notices reach people with many different needs. Ask {who} whether your organisation has templates that are already accessible.",
		questions: []question{
			{prompt: "Which make a document easier to read with a screen reader? Select all that apply.", multiple: true,
				options: []option{
					right("Heading styles"), right("Alternative text on meaningful images"),
					wrong("Bold text instead of headings"), wrong("A scanned picture of the page"),
				},
				feedback: "Screen readers use headings to move around and read alternative text aloud. Pictures of text cannot be read at all."},
			{prompt: "Which link text is best?",
				options: []option{
					wrong("Click here"), right("Read the visiting hours guide", "Yes. It says where the link goes, even out of context."), wrong("Link"),
				}},
		},
		fits: fits{forEveryone, onWard, inCareHome, inPractice, inOffice},
	},
	{
		title: "Sharing good practice in online networks", codes: []string{"2.6"},
		summary: "How to find and take part in online networks that help you learn from others in health and care.",
		why:     "Online networks and forums let you learn from people doing similar work elsewhere, and share what works in your team. They are a quick way to find answers that no manual has.",
		steps: []string{
			"Look for networks run by professional bodies, NHS or social care organisations, or your region.",
			"Read the group's rules before you post, and introduce yourself.",
			"Share what you learnt and what you would do differently, not details of the people you care for.",
			"Check advice from a forum against trusted guidance before you act on it.",
		},
		watch: []string{
			"Case details that could identify someone, even without names.",
			"One person's opinion treated as agreed practice.",
			"Groups that ask you to sign in with your work password.",
		},
		local: "{at}, someone in your team may already belong to a useful network. Ask {who} which ones your colleagues find helpful.",
		questions: []question{
			{prompt: "You want advice in an online forum about a difficult situation at work. What should you do?",
				options: []option{
					right("Describe it in general terms, without details that identify anyone"),
					wrong("Post the full story so that people understand"), wrong("Share a photo of the care plan for context"),
				}},
			{prompt: "Someone in a forum suggests a new way to do a task. What should you do before trying it?",
				options: []option{
					right("Check it against your organisation's guidance or ask a senior colleague"),
					wrong("Try it, as others say it works"),
					wrong("Ignore all advice from forums", "Forums can be very useful; just check before you act."),
				}},
		},
		fits: fits{forEveryone, onWard, inCareHome, inPractice, inOffice, inHomeCare, inMentalHealth},
	},

	// Teaching, learning and self-development.
	{
		title: "Getting the most from online learning", codes: []string{"3.1"},
		summary: "How to find, plan and finish the online learning your role needs, including mandatory training.",
		why:     "Much of the training you need, including mandatory training, is online. Knowing how to find it, fit it into your week and keep track of it makes it far less of a chore.",
		steps: []string{
			"Find out which learning platform your organisation uses and how you sign in.",
			"Check which courses are mandatory for your role and when each is due.",
			"Plan short sessions rather than trying to do everything at once.",
			"Use headphones for videos, and ask for captions or transcripts if you need them.",
			"Save or download your certificates when you finish.",
		},
		watch: []string{
			"Clicking through without reading, just to reach the end.",
			"Leaving mandatory training until the day it expires.",
			"Forgetting your sign-in details and giving up.",
		},
		local: "{at}, finding quiet time at a computer can be hard. Ask {who} whether protected time or a quiet room is available for learning.",
		questions: []question{
			{prompt: "Your mandatory training expires in two weeks. What is the best plan?",
				options: []option{
					right("Book short sessions this week and finish it in good time"),
					wrong("Wait until the reminder says it has expired"),
					wrong("Ask a colleague to do it for you", "Training only counts if you do it yourself."),
				}},
			{prompt: "A training video has no captions and you cannot play sound where you are. What should you do?",
				options: []option{
					wrong("Skip the video"),
					right("Ask the course owner for captions or a transcript, or watch it later with headphones"),
					wrong("Mark the course as done"),
				}},
		},
	},
	{
		title: "Keeping a digital record of your learning", codes: []string{"3.2", "3.5"},
		summary: "How to keep certificates and reflections together, so that you can show how you have developed.",
		why:     "A record of what you have learnt, and what you took from it, shows how you have developed. It helps at appraisals and revalidation, and when you change jobs.",
		steps: []string{
			"Keep certificates and notes in one place, such as an online portfolio or a folder you can reach from anywhere.",
			"After each piece of learning, write a few lines on what you learnt and how you will use it.",
			"Include learning on the job, such as shadowing or being shown a new system.",
			"Look back over your record before appraisals to see what you have achieved.",
		},
		watch: []string{
			"Certificates kept only in an inbox you will lose when you leave.",
			"Notes that say what you did but not what changed.",
			"Details of the people you care for in your reflections.",
		},
		local: "{at}, a lot of learning happens on shift. Note what you learnt soon afterwards, while it is fresh, and talk it through with {who} at supervision.",
		questions: []question{
			{prompt: "Which reflection is most useful?",
				options: []option{
					wrong("Did the records training."),
					right("Learnt how to find test results faster; I now check them before handover.", "Yes. It says what you learnt and what you do differently."),
					wrong("Training was fine."),
				}},
			{prompt: "Where should you keep your learning record?",
				options: []option{
					right("Somewhere you can still reach if you change employer"),
					wrong("Only in your work inbox"), wrong("Nowhere: there is no need to keep one"),
				}},
		},
	},
	{
		title: "Teaching a colleague a digital skill", codes: []string{"3.3"},
		summary: "How to help a colleague learn a new system or skill at their own pace, so that they can do it without you next time.",
		why:     "People learn digital skills best from someone they trust, at their own pace. A few minutes of patient help can save a colleague hours of frustration and build their confidence.",
		steps: []string{
			"Ask what they already know and what they want to be able to do.",
			"Let them use the mouse or the screen while you talk them through it.",
			"Show one thing at a time, and let them try it before you move on.",
			"Write down the steps, or point them to a short guide they can come back to.",
			"Check back later to see how they are getting on.",
		},
		watch: []string{
			"Taking over the keyboard and doing it for them.",
			"Jargon that you do not explain.",
			"Going too fast because you know the system well.",
		},
		local: "{at}, new starters and agency staff often need help with systems quickly. Offer to be someone they can ask, and tell {who} if several people struggle with the same thing.",
		questions: []question{
			{prompt: "A colleague is stuck on a new system. What is the best way to help?",
				options: []option{
					wrong("Take the mouse and do it for them", "It is quicker today, but they will be stuck again tomorrow."),
					right("Talk them through it while they do it themselves"),
					wrong("Send them a link to the full manual"),
				}},
			{prompt: "Which help someone learn a new digital skill? Select all that apply.", multiple: true,
				options: []option{
					right("Showing one step at a time"), right("Letting them try it themselves"),
					wrong("Using plenty of technical terms"), wrong("Going as fast as you can"),
				}},
		},
	},
	{
		title: "Choosing trustworthy online learning", codes: []string{"3.4", "5.2"},
		summary: "How to check that a course or video is accurate, up to date and right for your role before you rely on it.",
		why:     "Anyone can publish a course or video online. Before you rely on one, check that it is accurate, up to date and right for your role and for practice in England.",
		steps: []string{
			"Check who made it: a professional body, the NHS, a university or your employer is a good sign.",
			"Look for a date, and for whether it has been reviewed recently.",
			"Check that it applies in England and to your kind of work.",
			"Compare what it says with your organisation's policies.",
		},
		watch: []string{
			"Courses that promise a certificate for very little effort.",
			"Content written for another country's laws or systems.",
			"Old guidance that has since changed.",
		},
		local: "{at}, ask {who} or your learning and development team which sources your organisation trusts.",
		questions: []question{
			{prompt: "Which is the best sign that a course is trustworthy?",
				options: []option{
					wrong("It has plenty of likes"),
					right("It is made by a recognised health or care body and shows when it was last reviewed"),
					wrong("It is free"),
				}},
			{prompt: "A video explains a task differently from your organisation's policy. What should you do?",
				options: []option{
					right("Follow the policy and raise the difference with your manager"),
					wrong("Follow the video, as it is newer"), wrong("Do whichever is quicker"),
				}},
		},
	},
	{
		title: "Using your skills assessment to plan your learning", codes: []string{"3.5"},
		summary: "How to read your digital skills report, choose the gaps that matter most and plan what to learn next.",
		why:     "A self-assessment shows where your digital skills are now and where your role needs them to be. The gaps tell you what to learn next, so that you spend your time on what matters.",
		steps: []string{
			"Rate yourself honestly: the assessment is there to help you, not to judge you.",
			"Look at the statements with the biggest gap between now and needed.",
			"Pick one or two to work on first, and choose learning mapped to them.",
			"Talk your plan through with {who}, and take the assessment again after a few months.",
		},
		watch: []string{
			"Rating yourself high to look good, which hides what you could learn.",
			"Trying to close every gap at once.",
			"Forgetting to look back and see how far you have come.",
		},
		local: "{at}, the skills you need may differ from a colleague's in another role. Use your own results, and ask {who} which skills matter most for your work.",
		questions: []question{
			{prompt: "Your report shows gaps in three areas. Where should you start?",
				options: []option{
					right("With the one or two gaps that matter most for your role"),
					wrong("With all three at once"), wrong("With the area you are already best at"),
				}},
			{prompt: "Why rate yourself honestly?",
				options: []option{
					right("So that the learning suggested to you fits what you really need"),
					wrong("So that your manager can rank the team", "Reports on teams never show individuals; the assessment is for you."),
					wrong("It makes no difference"),
				}},
		},
	},

	// Technical proficiency.
	{
		title: "Using the electronic patient record", codes: []string{"4.3", "5.1"},
		summary: "How to find the right record, read results and plans quickly, and write notes that colleagues can rely on.",
		why:     "The electronic patient record puts everything about a patient in one place, for everyone caring for them. Using it well means fewer lost notes, safer handovers and less time chasing information.",
		steps: []string{
			"Always check that you have the right person, using at least two identifiers such as name and date of birth.",
			"Record care as soon as you can after it happens, in the right part of the record.",
			"Use the search and filters to find results, letters and plans rather than scrolling.",
			"Close the record when you have finished, and lock the screen when you step away.",
		},
		watch: []string{
			"Notes added to the wrong record when two records are open.",
			"Old entries copied and pasted without checking that they still apply.",
			"Looking at the records of people you are not caring for, including your own family's.",
		},
		local: "{at}, {record} may look different on a desktop and on a mobile device. Ask {who} or a systems trainer to show you the views your role uses most.",
		questions: []question{
			{prompt: "Before you add a note, what should you check?",
				options: []option{
					right("That you have the right person, using at least two identifiers"),
					wrong("That the screen is bright enough"), wrong("That no one else has written anything today"),
				}},
			{prompt: "You could open a relative's test results, because you have access. Should you?",
				options: []option{
					wrong("Yes, if they asked you to", "Access is for the people you care for at work. Your relative can see their own results in other ways."),
					right("No: open only the records you need for your work"),
					wrong("Yes, as long as you change nothing"),
				}},
			{prompt: "Which of these make the record safer for everyone? Select all that apply.", multiple: true,
				options: []option{
					right("Recording care promptly"), right("Closing a record when you have finished with it"),
					wrong("Keeping two records open to save time"), wrong("Copying yesterday's note forward unchanged"),
				}},
		},
		fits: fits{forEveryone, onWard, inPractice, onVisits, inMentalHealth},
	},
	{
		title: "Using a digital social care record", codes: []string{"4.3", "5.1"},
		summary: "How to read care plans, record care as you give it and use alerts so that nothing is missed at handover.",
		why:     "Digital social care records replace paper care plans and daily notes. Everyone on shift sees the same up-to-date information, and families and health colleagues can be kept informed when people agree.",
		steps: []string{
			"Sign in with your own account on work devices, never a shared one.",
			"Record care as you give it, or as soon as you can afterwards.",
			"Read the care plan and recent notes before you start supporting someone.",
			"Use the alerts and task lists so that nothing is missed at handover.",
		},
		watch: []string{
			"Everything recorded at the end of the shift from memory.",
			"A device left logged in on a table in a shared area.",
			"Opinions written down rather than what you saw and did.",
		},
		local: "{at}, devices are shared between staff and shifts. Agree with {who} where devices are kept and charged, and what to do if the system is down.",
		questions: []question{
			{prompt: "When is the best time to record the care you gave?",
				options: []option{
					right("As soon as you can after giving it"),
					wrong("At the end of the shift", "Details are easily forgotten or mixed up by then."),
					wrong("Only if something went wrong"),
				}},
			{prompt: "Which belong in a daily note? Select all that apply.", multiple: true,
				options: []option{
					right("What you saw and did"), right("What the person said about how they feel"),
					wrong("Your opinion of their family"), wrong("Gossip from the last shift"),
				}},
		},
		fits: fits{inCareHome, inHomeCare},
	},
	{
		title: "Simple fixes for IT problems", codes: []string{"4.2"},
		summary: "The quick checks that solve many IT problems, and how to report the ones they do not.",
		why:     "Many IT problems can be solved in a minute by trying a few simple things. When they cannot, a clear report helps {desk} fix the problem faster for you and everyone else.",
		steps: []string{
			"Check the basics: is it plugged in, switched on and connected to the network?",
			"Close the program and open it again, or restart the device.",
			"Note what you were doing, any error message and when it started; a photo of the screen helps.",
			"Report it with those details, and say how it affects the people you care for if it does.",
		},
		watch: []string{
			"Fixes that need administrator rights, or tools downloaded from the internet.",
			"Reports that say only that it does not work.",
			"Assuming that someone else has already reported it.",
		},
		local: "{at}, find out how to contact {desk} and what to do out of hours. Keep the number where everyone can see it.",
		questions: []question{
			{prompt: "A printer shows an error. What should you try first?",
				options: []option{
					right("Check that it has paper, is switched on and is connected"),
					wrong("Open it up and look inside"), wrong("Order a new printer"),
				}},
			{prompt: "Which details help when you report a fault? Select all that apply.", multiple: true,
				options: []option{
					right("The exact error message"), right("When it started and what you were doing"),
					wrong("Just that it is broken"), wrong("Your password", "Never give your password, even to IT."),
				}},
		},
	},
	{
		title: "Making devices easier to use", codes: []string{"4.4", "2.5"},
		summary: "The settings that make phones, tablets and computers easier to see, hear and use, for you and for others.",
		why:     "Phones, tablets and computers have settings that make them easier to see, hear and use. They help anyone who is tired, in a hurry or has a disability, including the people you care for.",
		steps: []string{
			"Make text bigger, or zoom in, from the display or accessibility settings.",
			"Turn on high contrast or dark mode if the screen is hard to read.",
			"Use dictation to speak instead of typing, and captions on videos.",
			"Ask for a screen reader or other tools if you need them; your employer should help.",
		},
		watch: []string{
			"Struggling with tiny text rather than changing the setting.",
			"Settings changed on a shared device and not put back.",
			"Assuming that accessibility settings are only for disabled people.",
		},
		local: "{at}, you may help {people} change settings on their own devices. Show them where the settings are, so that they can change them again themselves.",
		questions: []question{
			{prompt: "Where do you usually make text bigger on a phone?",
				options: []option{
					right("In the display or accessibility settings"), wrong("By buying a new phone"), wrong("In the camera app"),
				}},
			{prompt: "You made the text bigger on a shared computer. What should you do when you finish?",
				options: []option{
					right("Put it back, or check that your team is happy with the change"),
					wrong("Leave it; others will cope"), wrong("Switch the computer off"),
				}},
		},
	},
	{
		title: "Keeping devices updated and charged", codes: []string{"4.5", "1.6"},
		summary: "Everyday habits that keep work devices secure, charged and ready when you need them.",
		why:     "Updates fix security holes and faults, and a flat battery can leave you without {record} just when you need it. A few habits keep devices ready for work.",
		steps: []string{
			"Install updates when you are asked, or let the device restart overnight.",
			"Charge devices at the end of each shift, in the agreed place.",
			"Close apps you are not using, and restart the device once a week.",
			"Report a device that will not update or hold its charge.",
		},
		watch: []string{
			"Updates put off again and again.",
			"Charging from unknown cables or public charging points.",
			"Devices left where they may be knocked, get wet or go missing.",
		},
		local: "{at}, agree with {who} who checks that shared devices are charged and updated, so that the next shift starts with them ready.",
		questions: []question{
			{prompt: "Your device asks to install an update. What should you do?",
				options: []option{
					right("Install it when asked, or schedule it for a quiet time soon"),
					wrong("Keep putting it off", "Updates often close security holes that criminals use."),
					wrong("Turn updates off"),
				}},
			{prompt: "Where is the safest place to charge a work tablet?",
				options: []option{
					right("At the charging point your team has agreed"),
					wrong("From a USB socket at a railway station"), wrong("Anywhere there is a socket"),
				}},
		},
	},
	{
		title: "Spreadsheets for rota planning", codes: []string{"4.1", "5.3"},
		summary: "How to lay out a rota in a spreadsheet, count cover with a simple formula and spot gaps early.",
		why:     "A well-built spreadsheet makes a rota easy to read, quick to change and simple to check for gaps. A few basic skills go a long way.",
		steps: []string{
			"Put one shift on each row, and keep dates, names and shift types in their own columns.",
			"Use filters to see who is on for a given day, and sort by date or name.",
			"Use a simple formula, such as COUNTIF, to count staff on each shift and spot gaps.",
			"Use conditional formatting to highlight gaps, but do not rely on colour alone.",
			"Keep one shared copy, and protect the cells that hold formulas.",
		},
		watch: []string{
			"Merged cells, which break sorting and filtering.",
			"Several copies of the rota saved in different places.",
			"Personal details in the rota that people do not need to see.",
		},
		local: "{at}, the rota is read by many people on different screens. Keep it simple, and ask {who} before changing how it is laid out.",
		questions: []question{
			{prompt: "You want to count how many people work each early shift. Which helps most?",
				options: []option{
					right("A formula such as COUNTIF"), wrong("Counting by hand each week"), wrong("Colouring the cells"),
				}},
			{prompt: "Why avoid merged cells in a rota?",
				options: []option{
					right("They stop sorting and filtering from working properly"),
					wrong("They use more memory"), wrong("They cannot be printed"),
				}},
		},
		fits: fits{forEveryone, onWard, inCareHome, inPractice, inOffice, inHomeCare, inMentalHealth},
	},

	// Information, data and content.
	{
		title: "Recording care accurately", codes: []string{"5.1", "5.5"},
		summary: "Why good data quality matters for care, and the habits that keep records complete, correct and on time.",
		why:     "Decisions about the care of {people}, and about services, are made from what is recorded. Missing, late or wrong data leads to mistakes, repeated tests and wasted time.",
		steps: []string{
			"Record information once, in the right place, as soon as you can.",
			"Use the coded fields and drop-down lists where they exist, rather than free text.",
			"Check names, dates of birth, NHS numbers and addresses carefully.",
			"Correct mistakes by following your organisation's process, so that the change is recorded.",
			"Tell {who} if a form or screen makes errors easy to make.",
		},
		watch: []string{
			"Default values left in place because they were already filled in.",
			"Notes recorded against the wrong date or time.",
			"Two records for the same person.",
		},
		local: "{at}, small errors add up across many records. Find out who checks data quality in your organisation, and how you can see reports on your team's records.",
		questions: []question{
			{prompt: "You notice a wrong date of birth in {record}. What should you do?",
				options: []option{
					right("Correct it by following your organisation's process, or report it to someone who can"),
					wrong("Leave it, as someone else entered it"),
					wrong("Delete the record and start a new one", "That would lose the history and could make a duplicate."),
				}},
			{prompt: "Which help keep data accurate? Select all that apply.", multiple: true,
				options: []option{
					right("Choosing from drop-down lists where they exist"), right("Recording care promptly"),
					wrong("Leaving default values unchecked"), wrong("Starting a new record when you cannot find the old one"),
				}},
		},
		fits: fits{forEveryone, onWard, inCareHome, inPractice, onVisits, inHomeCare, inMentalHealth},
	},
	{
		title: "Reading charts and dashboards", codes: []string{"5.3"},
		summary: "How to read the charts and dashboards about your service, and avoid the common traps.",
		why:     "Dashboards turn records into numbers and charts, such as waiting times, falls or staffing. Reading them well helps you spot problems early and see whether changes are working.",
		steps: []string{
			"Read the title, the labels and the dates before the numbers.",
			"Check what is being counted (people, visits or events) and over what period.",
			"Look at trends over time rather than a single week.",
			"Ask what might explain a change before you act on it.",
		},
		watch: []string{
			"Charts whose scale does not start at zero, which can exaggerate changes.",
			"Small numbers, where one or two events make a big difference.",
			"Teams of very different sizes compared by counts rather than rates.",
		},
		local: "{at}, ask {who} which dashboards your team uses and what each number means. Knowing where the data comes from helps you trust it.",
		questions: []question{
			{prompt: "A dashboard shows that falls doubled last week, from one to two. What is the best reading?",
				options: []option{
					right("With such small numbers, look at the trend over several months before drawing conclusions"),
					wrong("Safety has got much worse"), wrong("The data must be wrong"),
				}},
			{prompt: "What should you read first on a chart?",
				options: []option{
					right("The title, the axis labels and the dates"), wrong("The biggest number"), wrong("The colours"),
				}},
		},
		fits: fits{forEveryone, onWard, inCareHome, inPractice, inOffice, inMentalHealth},
	},
	{
		title: "Finding reliable health information online", codes: []string{"5.2", "3.4"},
		summary: "How to find trustworthy health information online and help others tell good sources from bad.",
		why:     "The people you care for, and your colleagues, often look up health information online. Knowing how to check a source helps you use good information and steer others away from bad.",
		steps: []string{
			"Start with trusted sources, such as the NHS website, professional bodies and your organisation's guidance.",
			"Check who wrote it, when it was last updated and whether it applies in the UK.",
			"Be careful with sites that sell products or promise miracle cures.",
			"Compare it with a second trusted source if in doubt.",
		},
		watch: []string{
			"Adverts at the top of search results.",
			"Information written for other countries, where medicines and services differ.",
			"Social media posts that present personal stories as evidence.",
		},
		local: "{at}, if someone brings you information they found online, take it seriously, check it against trusted guidance and talk it through with them.",
		questions: []question{
			{prompt: "Which is the most reliable source of information about a common condition?",
				options: []option{
					right("The NHS website or a professional body"),
					wrong("The first search result", "It may be an advert."),
					wrong("A popular social media post"),
				}},
			{prompt: "A web page about a medicine does not say when it was written. What should you do?",
				options: []option{
					right("Check a trusted source that shows when it was last reviewed"),
					wrong("Assume it is current"), wrong("Share it with colleagues"),
				}},
		},
	},
	{
		title: "Data protection in everyday work", codes: []string{"5.4", "1.3"},
		summary: "What data protection law means day to day: collecting only what you need, keeping it safe and using it properly.",
		why:     "Data protection law gives people rights over information about them. In everyday work it means collecting only what you need, keeping it safe and using it only for the reason it was collected.",
		steps: []string{
			"Collect and record only the personal information you need for the task.",
			"Keep paper and digital records secure, and never take them home without permission.",
			"Use information only for the purpose it was collected for.",
			"Follow your organisation's rules on how long records are kept and how they are destroyed.",
			"Pass requests from people to see their records to the right team promptly.",
		},
		watch: []string{
			"Spreadsheets of personal details saved on personal devices or memory sticks.",
			"Printouts left on printers or in ordinary bins.",
			"Contact details collected for care used to send unrelated messages.",
		},
		local: "{at}, know who your data protection or information governance lead is, and how to report a breach.",
		questions: []question{
			{prompt: "Someone asks to see the information you hold about them. What should you do?",
				options: []option{
					right("Pass the request to the right team promptly, following your organisation's process"),
					wrong("Tell them it is not allowed"),
					wrong("Print the whole record and hand it over", "Requests are checked first, for example to protect others named in the record."),
				}},
			{prompt: "Which follow data protection rules? Select all that apply.", multiple: true,
				options: []option{
					right("Recording only what you need"), right("Shredding printouts you no longer need"),
					wrong("Keeping a copy of records at home just in case"), wrong("Using patients' phone numbers to arrange a staff social event"),
				}},
		},
	},

	// Creation, innovation and research.
	{
		title: "Using AI tools safely", codes: []string{"6.4", "1.3"},
		summary: "What AI tools can help with at work, where they go wrong, and the rules that keep personal information safe.",
		why:     "AI tools can draft letters, summarise notes and answer questions in seconds. They can also be confidently wrong, and anything you type into a public tool may leave your organisation's control.",
		steps: []string{
			"Use only AI tools that your organisation has approved for work.",
			"Never enter personal or confidential information about {people} into a public AI tool.",
			"Check everything an AI tool produces before you use it: you remain responsible for it.",
			"Be open with colleagues about when you have used AI to help.",
		},
		watch: []string{
			"Answers that sound certain but are made up, including references that do not exist.",
			"Summaries that leave out something important.",
			"Tools that record conversations without everyone knowing.",
		},
		local: "{at}, ask {who} which AI tools are approved and for what. If a tool would help your team, suggest it through the proper route rather than trying it with real data.",
		questions: []question{
			{prompt: "You want an AI tool to help write a letter about someone you support. What is safe?",
				options: []option{
					right("Use an approved tool, leave out details that identify them and check the draft carefully"),
					wrong("Paste in their whole record to get the best result"),
					wrong("Send the draft without reading it", "AI tools make mistakes, and the letter goes out in your name."),
				}},
			{prompt: "An AI tool gives you a reference to a guideline you cannot find anywhere. What is most likely?",
				options: []option{
					right("The tool made it up, so check trusted sources"), wrong("The guideline is secret"), wrong("Your search was wrong"),
				}},
			{prompt: "Which of these are safe uses of an approved AI tool? Select all that apply.", multiple: true,
				options: []option{
					right("Drafting a poster about a team event"), right("Suggesting plainer wording for a leaflet, which you then check"),
					wrong("Deciding on someone's care without a professional checking it"), wrong("Summarising a record in a public chatbot"),
				}},
		},
	},
	{
		title: "Making a simple online form or guide", codes: []string{"6.2", "2.5"},
		summary: "How to replace a paper process or an everyday question with a short online form or guide that others can use.",
		why:     "A short online form or guide can replace a paper process, or answer the question colleagues ask every day. With the office tools you already have, you can make one in an afternoon.",
		steps: []string{
			"Start with what people need to do, and ask only the questions you need answers to.",
			"Use the form tools your organisation approves, and check where the answers are stored.",
			"Write in plain English, with one question to a line or section.",
			"Test it with two or three colleagues before sharing it more widely.",
			"Check that it is accessible, and say whom to contact if something is wrong.",
		},
		watch: []string{
			"Forms that collect personal information without a clear reason.",
			"Guides that go out of date because no one owns them.",
			"Free online tools that store data outside your organisation.",
		},
		local: "{at}, think of a task that is still done on paper, or a question people often ask. Talk to {who} about whether a simple form or guide would help.",
		questions: []question{
			{prompt: "Before you share a new online form with your team, what should you do?",
				options: []option{
					right("Test it with a few colleagues and fix what confuses them"),
					wrong("Send it to everyone and see what happens"), wrong("Add as many questions as you can"),
				}},
			{prompt: "Where should a form that collects personal information keep its answers?",
				options: []option{
					right("In a tool your organisation has approved for that information"),
					wrong("In any free online survey site"), wrong("In your personal cloud storage"),
				}},
		},
		fits: fits{forEveryone, onWard, inCareHome, inPractice, inOffice},
	},
	{
		title: "Suggesting and testing digital improvements", codes: []string{"6.1", "6.3"},
		summary: "How to turn an everyday frustration into a suggestion that reaches the right person, and give useful feedback on new systems.",
		why:     "People doing the work often see first where a digital tool could save time or make care safer. Good ideas need to reach the right person, and new ways of working need honest feedback to get better.",
		steps: []string{
			"Describe the problem first: what happens now, how often and whom it affects.",
			"Suggest what might help, and why. You do not need to know the technical answer.",
			"Take your idea to {who} or your organisation's digital team.",
			"If you help test something new, say what works and what does not, with examples.",
		},
		watch: []string{
			"Unofficial apps or spreadsheets set up to get round a problem.",
			"Feedback given only when asked, rather than when things go wrong.",
			"A new system judged on its first day, before anyone has learnt it.",
		},
		local: "{at}, keep a note of small frustrations with systems for a week. Patterns make a strong case for change.",
		questions: []question{
			{prompt: "You have an idea that could save your team time. What is a good first step?",
				options: []option{
					right("Describe the problem and the idea to your manager or the digital team"),
					wrong("Download an app and start using it with real data"), wrong("Wait for someone else to suggest it"),
				}},
			{prompt: "You are testing a new system and something confuses you. What should you do?",
				options: []option{
					right("Report it with an example, as it may confuse others too"),
					wrong("Keep quiet in case it is your fault"), wrong("Stop using the system"),
				}},
		},
	},
	{
		title: "Checking the evidence for a digital tool", codes: []string{"6.5", "5.2"},
		summary: "The questions to ask before your team relies on a new app or device, and how to tell whether it helped.",
		why:     "New apps and devices often come with big claims. Before your team relies on one, it is worth asking what evidence shows that it helps people like those you care for.",
		steps: []string{
			"Ask what problem the tool solves and how you will know that it has worked.",
			"Look for evidence from independent evaluations, not only the supplier's case studies.",
			"Check whether it meets NHS or social care standards for safety, data and accessibility.",
			"Measure something before and after you start, such as time taken or errors.",
		},
		watch: []string{
			"Success stories from settings very different from yours.",
			"Pilots that end without anyone checking the results.",
			"Measures that count activity rather than benefit to {people}.",
		},
		local: "{at}, talk to {who} before trying a new tool, and agree what you will measure so that you can tell whether it helped.",
		questions: []question{
			{prompt: "A supplier says their app halves falls. What should you ask?",
				options: []option{
					right("What independent evidence shows that, in settings like ours"),
					wrong("How soon can we start"),
					wrong("How many other places use it", "Being popular is not the same as working."),
				}},
			{prompt: "How can you tell whether a new tool has helped your team?",
				options: []option{
					right("Measure something that matters before and after you start"),
					wrong("Ask the supplier"), wrong("See whether people like the look of it"),
				}},
		},
		fits: fits{forEveryone, onWard, inCareHome, inPractice, inOffice, inMentalHealth},
	},
}

// link is learning elsewhere that the national team lists.
type link struct {
	title, summary, url string
	codes               []string
	minutes             int
}

// nationalLinks are addresses under domains reserved for examples.
var nationalLinks = []link{
	{"NHS login: a guide for staff", "A short online guide to NHS login: what it is, how people prove who they are and how to help someone who is stuck.",
		"https://learning.example.nhs.uk/guides/nhs-login-for-staff", []string{"2.4", "3.3"}, 15},
	{"Cyber security essentials: a video series", "Five short videos on passwords, phishing, safe browsing, devices and reporting, each under five minutes.",
		"https://learning.example.nhs.uk/cyber/essentials", []string{"1.1", "1.2"}, 25},
	{"Data and dashboards: an introduction", "An online course on reading the common charts and tables about health and care services, with practice questions.",
		"https://courses.example.org/data-and-dashboards", []string{"5.3", "5.5"}, 45},
	{"Plain English for health and care writing", "An online workshop on writing letters, leaflets and messages that everyone can understand.",
		"https://courses.example.org/plain-english", []string{"2.5", "2.1"}, 40},
	{"Helping people get online: digital inclusion basics", "A guide for staff who help people use online services for the first time, with tips on confidence and trust.",
		"https://www.example.org/digital-inclusion/basics", []string{"2.4", "3.3"}, 20},
	{"Artificial intelligence in health and care: first steps", "A short course on what AI tools can and cannot do, with examples from health and care and the questions to ask before using one.",
		"https://learning.example.nhs.uk/ai/first-steps", []string{"6.4", "6.5"}, 35},
	{"Keyboard shortcuts that save time", "A printable guide to the shortcuts for copying, finding, switching windows and locking your screen.",
		"https://www.example.org/guides/keyboard-shortcuts", []string{"4.1", "1.1"}, 10},
	{"The data protection principles in practice", "An interactive module on the principles of data protection law, with everyday examples from health and care.",
		"https://learning.example.nhs.uk/ig/data-protection-principles", []string{"5.4", "1.3"}, 30},
}

// localTopic is a lesson an organisation writes about its own systems.
// {org} is its name and {short} its shorter name.
type localTopic struct {
	title, summary, why string
	codes               []string
	steps               []string
	help                string // whom to ask, on the page about getting help
	questions           []question
}

// localTopics are the lessons each type of organisation may write.
var localTopics = map[upskill.OrgType][]localTopic{
	upskill.OrgNHSTrust: {
		{title: "Signing in to {short} systems with your smartcard", codes: []string{"1.1", "4.3"},
			summary: "How to sign in to {short} clinical systems with your smartcard, and what to do if it is lost or locked.",
			why:     "Most clinical systems at {org} use your NHS smartcard to confirm who you are. Your card and PIN are yours alone, and they show who looked at or changed a record.",
			steps: []string{
				"Put your card in the reader, chip first, and enter your PIN.",
				"Choose the role you are working in today if you are asked.",
				"Take your card with you whenever you leave the computer: the session locks when you remove it.",
				"If your card locks after three wrong PINs, ask the registration authority team to unlock it.",
			},
			help: "the registration authority team",
			questions: []question{{prompt: "What happens when you take your smartcard out of the reader?",
				options: []option{right("Your session locks, so that no one else can use it"), wrong("Nothing: you stay signed in"), wrong("The computer switches off")}}}},
		{title: "Finding your way around the {short} patient record", codes: []string{"4.3", "5.1"},
			summary: "A tour of the {short} electronic patient record: finding a patient, reading results and writing notes.",
			why:     "{org} keeps its patient records in one electronic system, used on wards, in clinics and in the community. This lesson shows the screens that most staff use every day.",
			steps: []string{
				"Search for a patient by NHS number where you can: it is the surest way to find the right record.",
				"Use the summary page to see alerts, allergies and current plans at a glance.",
				"Open the results tab to see tests, with the newest first.",
				"Write notes in the template for your profession, then sign them so that they are saved.",
			},
			help: "the clinical systems training team",
			questions: []question{{prompt: "What is the surest way to find the right patient?",
				options: []option{right("Search by NHS number"), wrong("Search by first name"), wrong("Scroll through the ward list")}}}},
		{title: "Getting help from the {short} IT service desk", codes: []string{"4.2"},
			summary: "How to log a fault or request with the {short} IT service desk, and how to follow it up.",
			why:     "The IT service desk at {org} deals with faults, new accounts and equipment. Using the right route gets your problem to the right team first time.",
			steps: []string{
				"Use the self-service portal on the intranet for anything that is not urgent.",
				"Phone the service desk about urgent problems that affect patient care.",
				"Give your name, where you are, the device's asset number and the exact error message.",
				"Keep your reference number so that you can follow the call up.",
			},
			help: "the IT service desk",
			questions: []question{{prompt: "Which problems should you phone the service desk about, rather than use the portal?",
				options: []option{right("Urgent problems that affect patient care"), wrong("A request for a new mouse"), wrong("Questions the intranet answers")}}}},
		{title: "Checking your shifts in the {short} rostering app", codes: []string{"4.1", "2.3"},
			summary: "How to see your shifts, ask for leave and swap shifts in the {short} rostering app.",
			why:     "Rotas at {org} are planned in an online rostering system. Its app lets you see your shifts, ask for leave and offer swaps from your own phone.",
			steps: []string{
				"Sign in to the app with your work account.",
				"Check the next four weeks of shifts on the home screen.",
				"Ask for annual leave from the leave tab; your manager approves it in the same system.",
				"Offer a swap, and wait for it to be approved before you change your plans.",
			},
			help: "the rostering team",
			questions: []question{{prompt: "When is a shift swap confirmed?",
				options: []option{right("When it has been approved in the system"), wrong("When your colleague agrees by text"), wrong("As soon as you offer it")}}}},
		{title: "Working from home on a {short} laptop", codes: []string{"1.6", "4.5"},
			summary: "How to reach {short} systems safely from home, and how to look after your laptop.",
			why:     "Many staff at {org} work from home some of the time. A few steps keep information safe and your connection working.",
			steps: []string{
				"Connect to the secure remote access service before you open any work system.",
				"Work where others in your home cannot see your screen or hear your calls.",
				"Never print work documents at home or save them on a personal device.",
				"Bring your laptop on site at least once a month so that it receives updates.",
			},
			help: "the IT service desk",
			questions: []question{{prompt: "Where should you save work documents when you work from home?",
				options: []option{right("In the trust's shared drives or team spaces"), wrong("On your personal computer"), wrong("On a memory stick")}}}},
		{title: "Reporting incidents on the {short} incident system", codes: []string{"5.1", "5.5"},
			summary: "How to report an incident or near miss on the {short} reporting system, and what happens next.",
			why:     "Reporting incidents helps {org} learn and make care safer. The online reporting system is open to every member of staff.",
			steps: []string{
				"Open the reporting form from the intranet home page.",
				"Describe what happened as facts, without blame.",
				"Say what was done at the time to keep people safe.",
				"Look out for an email when the report has been reviewed.",
			},
			help: "the patient safety team",
			questions: []question{{prompt: "How should you describe an incident in a report?",
				options: []option{right("As facts: what happened and what was done"), wrong("With your view of who was to blame"), wrong("As briefly as possible, with no detail")}}}},
	},
	upskill.OrgICB: {
		{title: "Using the {short} shared care record", codes: []string{"4.3", "1.3"},
			summary: "How staff across the area use the {short} shared care record to see information from hospitals, GPs and social care.",
			why:     "The shared care record brings together information held by GP practices, hospitals, community services and councils across the area that {org} serves. It helps staff see the whole picture without phoning round.",
			steps: []string{
				"Open the shared care record from your own system, where a link is provided.",
				"Make sure you have a legitimate reason to view the record: every view is logged.",
				"Remember that it is read-only: update your own organisation's record, not this one.",
				"Tell the person you are caring for that you looked at their shared record if they ask.",
			},
			help: "the shared care record team",
			questions: []question{{prompt: "Why is every view of the shared care record logged?",
				options: []option{right("So that access can be checked, to protect people's privacy"), wrong("To count how popular it is"), wrong("It is not logged")}}}},
		{title: "Reading the {short} population health dashboard", codes: []string{"5.3"},
			summary: "What the {short} population health dashboard shows and how to read its main charts.",
			why:     "The population health dashboard at {org} shows patterns of health and care across the area, such as long-term conditions and hospital admissions. It helps teams plan where to focus.",
			steps: []string{
				"Choose the area and the period at the top before you read any chart.",
				"Use rates per 1,000 people when you compare places of different sizes.",
				"Hover over a point to see the exact figure and how many people it is based on.",
				"Small numbers are hidden to protect privacy: a blank does not mean zero.",
			},
			help: "the analytics team",
			questions: []question{{prompt: "A cell on the dashboard is blank. What does it most likely mean?",
				options: []option{right("The number is small and hidden to protect privacy"), wrong("Nothing happened"), wrong("The dashboard is broken")}}}},
		{title: "Online meetings with partners at {short}", codes: []string{"2.2", "2.3"},
			summary: "How to set up and run online meetings with partner organisations from {short}.",
			why:     "Much of the work of {org} is with partners in councils, trusts and the voluntary sector. Online meetings make that easier when everyone can join without trouble.",
			steps: []string{
				"Send the invitation from your work calendar, with the agenda and papers as links.",
				"Check whether guests join from another organisation's system, and test the link if you can.",
				"Start with introductions, and say whether the meeting is being recorded.",
				"Share the notes and actions in the meeting's shared space afterwards.",
			},
			help: "the digital team",
			questions: []question{{prompt: "When should you say that an online meeting is being recorded?",
				options: []option{right("At the start, before anyone speaks"), wrong("Never: the app shows it"), wrong("Only to the chair")}}}},
		{title: "Information sharing agreements at {short}", codes: []string{"1.3", "5.4"},
			summary: "When and how information is shared with partners under the information sharing agreements of {short}.",
			why:     "{org} shares information with partners under written agreements that say what is shared, why and how. Knowing them helps you share confidently and lawfully.",
			steps: []string{
				"Find the agreements on the information governance pages of the intranet.",
				"Check that the partner and the purpose are covered before you share.",
				"Share only the fields the agreement lists, by the route it sets out.",
				"Ask the information governance team when a request does not fit an agreement.",
			},
			help: "the information governance team",
			questions: []question{{prompt: "A partner asks for data that no agreement covers. What should you do?",
				options: []option{right("Ask the information governance team before sharing"), wrong("Share it, as they are a trusted partner"), wrong("Share a smaller amount")}}}},
	},
	upskill.OrgLocalAuthority: {
		{title: "Recording visits in the {short} case management system", codes: []string{"4.3", "5.1"},
			summary: "How to record assessments and visits in the {short} case management system.",
			why:     "Social care records at {org} are kept in the case management system. Timely, accurate records help colleagues, protect people and support decisions about care.",
			steps: []string{
				"Search for the person by case reference or date of birth before you create anything new.",
				"Record a visit on the same day, with the case note template.",
				"Attach documents to the right episode of care, not to the person's front page.",
				"Use tasks to pass work to colleagues, so that nothing is lost.",
			},
			help: "the systems support team",
			questions: []question{{prompt: "What should you do before creating a new record?",
				options: []option{right("Search for the person, to avoid a duplicate"), wrong("Create it now and merge the two later"), wrong("Ask the person for their council tax number")}}}},
		{title: "Using the {short} mobile working app", codes: []string{"1.6", "4.1"},
			summary: "How to use the {short} mobile working app to read and record care on visits.",
			why:     "The mobile working app lets staff of {org} read case notes and record visits on a phone or tablet, without going back to the office.",
			steps: []string{
				"Sign in at the start of the day while you have a good signal, so that your visits download.",
				"Record notes during or straight after each visit; they upload when you are back in signal.",
				"Lock the device between visits, and never leave it in view in the car.",
				"Report a lost device to the systems support team at once, so that it can be wiped.",
			},
			help: "the systems support team",
			questions: []question{{prompt: "Why sign in to the app before you set off?",
				options: []option{right("So that your visits download while you have a signal"), wrong("To clock in for pay"), wrong("It makes the battery last longer")}}}},
		{title: "Sending secure email to NHS partners from {short}", codes: []string{"1.3", "2.1"},
			summary: "How to email personal information securely from {short} to GP practices, hospitals and other partners.",
			why:     "Staff of {org} often need to send personal information to GP practices, hospitals and other partners. Secure email protects it on the way.",
			steps: []string{
				"Check whether the recipient's address is on a secure service: your email may show this.",
				"If it is not, turn on the encryption option before you send.",
				"Send only what the recipient needs, and check the address before sending.",
				"Never forward secure messages to personal accounts.",
			},
			help: "the information governance team",
			questions: []question{{prompt: "What should you do before emailing personal information to a partner?",
				options: []option{right("Check that the route is secure and the address is right"), wrong("Send it, and ask them to delete it if it is wrong"), wrong("Copy in your personal email to keep a record")}}}},
		{title: "Hybrid working at {short}", codes: []string{"1.4", "2.3"},
			summary: "How staff of {short} balance home, office and visits, and stay connected with their team.",
			why:     "Many staff of {org} split their week between home, the office and visits. Clear habits help teams stay connected and keep work and home apart.",
			steps: []string{
				"Keep your calendar up to date, so that colleagues know where you are.",
				"Use the team channel for quick questions, and a call for anything sensitive.",
				"Set your working hours in your messaging app, and respect your colleagues' hours.",
				"Take breaks away from the screen, as you would in the office.",
			},
			help: "your line manager",
			questions: []question{{prompt: "How can you help colleagues know where you are working today?",
				options: []option{right("Keep your calendar up to date"), wrong("Email everyone each morning"), wrong("There is no need")}}}},
	},
}

// Times of the catalogue: national lessons were first published during
// 2023, before the first cycle of the assessment, and some were revised in
// the two years after; organisations wrote theirs from spring 2023.
var (
	nationalFrom = time.Date(2023, 1, 9, 0, 0, 0, 0, time.UTC)
	revisions    = [...]time.Time{time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)}
	localFrom    = time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC)
	localTo      = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
)

// Shares of the catalogue.
const (
	nationalLessons = 60
	badgeShare      = 0.25 // of national lessons that earn a badge
	passMarkShare   = 0.4  // of lessons with a pass mark
	namedShare      = 0.3  // of local lessons shared with neighbours
	everyoneShare   = 0.08 // of local lessons shared with everyone
	copyShare       = 0.12 // of care homes that adapt a national lesson
	// completedShare of enrolments are complete; the rest are in progress.
	completedShare = 0.78
)

// enrolmentCounts weigh how many items a person who took the assessment
// enrols on: none up to six, about two on average.
var enrolmentCounts = []float64{20, 25, 22, 14, 9, 6, 4}

// catalogueItem is what enrolments need to know of an item of the load.
type catalogueItem struct {
	caps     []int // positions of the capabilities it is mapped to
	groups   []upskill.StaffGroup
	owner    int64 // its owner's provisional id, or the nation's
	national bool
	copy     bool
}

// learningGen holds the state of making the catalogue.
type learningGen struct {
	g        *gen
	rng      *rand.Rand
	v        *upskill.FrameworkVersion
	capIndex map[string]int // capability code -> position in the version
	levels   int
	items    []catalogueItem
	nextItem int64
	nextVer  int64
	// authors are the people who write each organisation's learning, by
	// organisation: a content author, or the national admin.
	authors map[int64]int64
}

// makeLearning makes the catalogue and the enrolments of the staff who
// took the assessment on v.
func (g *gen) makeLearning(seed uint64, where Placement, orgs []*org) {
	l := &learningGen{
		g: g, rng: rand.New(rand.NewPCG(seed^0x1ea2_17e5, 0xca7a_109e)), v: where.Version,
		capIndex: map[string]int{}, levels: min(4, len(where.Version.Levels)), authors: map[int64]int64{},
	}
	for i, c := range where.Version.Capabilities() {
		l.capIndex[c.Code] = i
	}
	for _, m := range g.b.Memberships {
		_, taken := l.authors[m.OrganisationID]
		if !taken && (m.Roles.Has(upskill.RoleContentAuthor) || m.OrganisationID == where.NationID && m.Roles.Has(upskill.RoleNationalAdmin)) {
			l.authors[m.OrganisationID] = m.PersonID
		}
	}
	national := l.nationalLessons(where.NationID)
	l.nationalLinks(where.NationID)
	l.localLessons(orgs)
	l.copies(orgs, national)
	g.b.Enrolments = l.enrolments(seed)

	// The lesson on phishing for everyone is the one organisations make
	// mandatory; supervisors pick from the lessons written for everyone.
	mandatory, forAll := -1, []int(nil)
	for i := range g.b.Learning {
		c, ok := national[i]
		if !ok {
			continue
		}
		if c.setting == forEveryone {
			forAll = append(forAll, i)
		}
		if nationalTopics[c.topic].title == phishingTitle && (mandatory < 0 || c.setting == forEveryone) {
			mandatory = i
		}
	}
	if mandatory >= 0 {
		l.assign(seed, mandatory, forAll)
	}
}

// phishingTitle is the topic organisations make mandatory.
const phishingTitle = "Spotting phishing emails"

func (l *learningGen) newItemID() int64    { l.nextItem--; return l.nextItem }
func (l *learningGen) newVersionID() int64 { l.nextVer--; return l.nextVer }

// between is a time chosen evenly from from up to to.
func (l *learningGen) between(from, to time.Time) time.Time {
	return from.Add(time.Duration(l.rng.Int64N(int64(to.Sub(from)/time.Second))) * time.Second)
}

// mappings maps learning to the statements with the given codes of the
// version, at levels drawn mostly from the lower half. Codes the version
// does not have are left out; learning left with none is mapped to the
// version's first statement.
func (l *learningGen) mappings(codes []string) ([]upskill.ContentMapping, []int) {
	var out []upskill.ContentMapping
	var caps []int
	for _, code := range codes {
		i, ok := l.capIndex[code]
		if !ok {
			continue
		}
		out = append(out, l.mapping(i))
		caps = append(caps, i)
	}
	if len(out) == 0 {
		out, caps = append(out, l.mapping(0)), append(caps, 0)
	}
	return out, caps
}

func (l *learningGen) mapping(i int) upskill.ContentMapping {
	all := l.v.Capabilities()
	level := []int{1, 1, 2, 2, 2, 3, 3, 4}[l.rng.IntN(8)]
	return upskill.ContentMapping{FrameworkID: l.v.FrameworkID, CapabilityCode: all[i].Code, Level: min(level, l.levels)}
}

// add puts an item in the load, with what enrolments need to know of it.
func (l *learningGen) add(it store.BulkItem, meta catalogueItem) {
	l.g.b.Learning = append(l.g.b.Learning, it)
	l.items = append(l.items, meta)
}

// combo is a topic set in a setting.
type combo struct{ topic, setting int }

// nationalLessons makes the national lessons: every topic at least once,
// then other settings of the topics, until there are nationalLessons. It
// returns the combinations in the order the lessons were made, with the
// index of each lesson's item.
func (l *learningGen) nationalLessons(nationID int64) map[int]combo {
	var chosen, rest []combo
	for t := range nationalTopics {
		f := nationalTopics[t].fits
		if len(f) == 0 {
			f = fits{forEveryone, onWard, inCareHome, inPractice, onVisits, inOffice, inHomeCare, inMentalHealth}
		}
		order := l.rng.Perm(len(f))
		chosen = append(chosen, combo{t, f[order[0]]})
		for _, k := range order[1:] {
			rest = append(rest, combo{t, f[k]})
		}
	}
	l.rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	chosen = append(chosen, rest[:max(0, min(len(rest), nationalLessons-len(chosen)))]...)
	slices.SortFunc(chosen, func(a, b combo) int {
		if a.topic != b.topic {
			return a.topic - b.topic
		}
		return a.setting - b.setting
	})
	made := map[int]combo{}
	for _, c := range chosen {
		made[len(l.g.b.Learning)] = c
		l.nationalLesson(nationID, &nationalTopics[c.topic], &settings[c.setting])
	}
	return made
}

// nationalLesson makes one national lesson in one to three versions.
func (l *learningGen) nationalLesson(nationID int64, t *topic, s *setting) {
	r := l.rng
	fill := s.replacer()
	title := t.title
	if s.phrase != "" {
		title += " " + s.phrase
	}
	pages := 2 + r.IntN(4)
	questions := 1 + r.IntN(len(t.questions))
	passMark := 0
	if r.Float64() < passMarkShare {
		passMark = []int{50, 60, 75, 80, 100}[r.IntN(5)]
	}
	var audience upskill.Audience
	if len(s.groups) > 0 && r.Float64() < 0.7 {
		audience.StaffGroups = s.groups
	}
	mappings, caps := l.mappings(t.codes)
	badge := r.Float64() < badgeShare
	minutes := clampInt(pages*5+questions*2+r.IntN(9), 5, 45)

	// Most lessons have one version; some were revised once or twice,
	// each revision adding to the lesson.
	versions := 1
	switch x := r.Float64(); {
	case x < 0.12:
		versions = 3
	case x < 0.38:
		versions = 2
	}
	published := l.between(nationalFrom, nationalFrom.AddDate(0, 11, 0))
	it := store.BulkItem{
		Item:     upskill.ContentItem{ID: l.newItemID(), Owner: upskill.OrgRef{ID: nationID}, Visibility: upskill.VisibleEveryone},
		AuthorID: l.authors[nationID],
	}
	for n := range versions {
		back := versions - 1 - n // how many revisions came after this one
		if n > 0 {
			published = l.between(revisions[n-1], revisions[n-1].AddDate(0, 7, 0))
		}
		v := upskill.ContentVersion{
			ID: l.newVersionID(), Title: title, Summary: fill.Replace(t.summary), Format: upskill.FormatLesson,
			Minutes: max(5, minutes-4*back), Audience: audience, Mappings: mappings, BadgeBearing: badge,
			Pages:    lessonPages(t, s, fill, max(2, pages-back), max(1, questions-back)),
			PassMark: passMark, Status: upskill.ContentRetired,
			CreatedAt: published.AddDate(0, 0, -3-r.IntN(25)), PublishedAt: published,
		}
		if back == 0 {
			v.Status, v.ReviewBy = upskill.ContentPublished, published.AddDate(1, 0, 0)
		}
		it.Versions = append(it.Versions, v)
	}
	it.Item.CreatedAt = it.Versions[0].CreatedAt
	l.add(it, catalogueItem{caps: caps, groups: audience.StaffGroups, owner: nationID, national: true})
}

// replacer fills a topic's placeholders with the setting's words.
func (s *setting) replacer() *strings.Replacer {
	return strings.NewReplacer("{at}", s.at, "{place}", s.place, "{people}", s.people, "{record}", s.record,
		"{who}", s.who, "{desk}", s.desk)
}

// lessonPages puts a lesson together: why it matters, what to do, what to
// watch out for, the setting, and a page to check understanding, as many
// of them as there are to be pages, with the questions on the last.
func lessonPages(t *topic, s *setting, fill *strings.Replacer, pages, questions int) []upskill.LessonPage {
	out := []upskill.LessonPage{
		{Title: "Why it matters", Body: paragraph(fill.Replace(t.why))},
		{Title: "What to do", Body: "Follow these steps:\n\n" + bullets(fill, t.steps)},
		{Title: "What to watch out for", Body: "Look out for:\n\n" + bullets(fill, t.watch)},
		{Title: s.heading, Body: paragraph(fill.Replace(t.local))},
		{Title: "Check your understanding", Body: "Answer the questions below. You will see feedback after each answer, and you can change your answers before you finish."},
	}
	out = out[:pages]
	out[pages-1].Questions = lessonQuestions(fill, t.questions[:questions])
	return out
}

// lessonQuestions writes the question blocks of a lesson. A question
// written without feedback of its own gives the right answer.
func lessonQuestions(fill *strings.Replacer, qs []question) []upskill.LessonQuestion {
	out := make([]upskill.LessonQuestion, len(qs))
	for i, q := range qs {
		lq := upskill.LessonQuestion{Prompt: paragraph(fill.Replace(q.prompt)), Multiple: q.multiple, Feedback: paragraph(fill.Replace(q.feedback))}
		var rights []string
		for _, o := range q.options {
			lo := upskill.LessonOption{Text: paragraph(fill.Replace(o.text)), Correct: o.right, Feedback: paragraph(fill.Replace(o.feedback))}
			lq.Options = append(lq.Options, lo)
			if o.right {
				rights = append(rights, strings.TrimSuffix(lo.Text, "."))
			}
		}
		if lq.Feedback == "" {
			if len(rights) == 1 {
				lq.Feedback = "The best answer is: " + rights[0] + "."
			} else {
				lq.Feedback = "The right answers are: " + strings.Join(rights, "; ") + "."
			}
		}
		out[i] = lq
	}
	return out
}

// bullets writes a Markdown list.
func bullets(fill *strings.Replacer, items []string) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString("- ")
		b.WriteString(paragraph(fill.Replace(it)))
		b.WriteByte('\n')
	}
	return b.String()
}

// paragraph starts each sentence of text with a capital letter, as filling
// placeholders can leave one in lower case.
func paragraph(text string) string {
	b := []byte(text)
	start := true
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case start && unicode.IsLower(r):
			up := string(unicode.ToUpper(r))
			b = append(b[:i], append([]byte(up), b[i+n:]...)...)
			n = len(up)
			start = false
		case start && !unicode.IsSpace(r):
			start = false
		case r == '.' || r == '?' || r == '!':
			start = i+n < len(b) && b[i+n] == ' '
		}
		i += n
	}
	return string(b)
}

// nationalLinks makes the national team's links to learning elsewhere.
func (l *learningGen) nationalLinks(nationID int64) {
	for _, k := range nationalLinks {
		mappings, caps := l.mappings(k.codes)
		published := l.between(nationalFrom, nationalFrom.AddDate(0, 11, 0))
		l.add(store.BulkItem{
			Item:     upskill.ContentItem{ID: l.newItemID(), Owner: upskill.OrgRef{ID: nationID}, Visibility: upskill.VisibleEveryone, CreatedAt: published},
			AuthorID: l.authors[nationID],
			Versions: []upskill.ContentVersion{{
				ID: l.newVersionID(), Status: upskill.ContentPublished, Title: k.title, Summary: k.summary,
				Format: upskill.FormatLink, Minutes: k.minutes, Mappings: mappings, LinkURL: k.url, PublishedAt: published,
				ReviewBy: published.AddDate(1, 0, 0),
			}},
		}, catalogueItem{caps: caps, owner: nationID, national: true})
	}
}

// shortName is the name an organisation's lessons call it by.
func shortName(o *org) string {
	name := o.name
	switch o.kind.typ {
	case upskill.OrgNHSTrust:
		for _, suffix := range []string{" NHS Foundation Trust", " NHS Trust"} {
			name = strings.TrimSuffix(name, suffix)
		}
	case upskill.OrgICB:
		name = strings.TrimSuffix(name, " Integrated Care Board") + " ICB"
	}
	return name
}

// localLessons makes the lessons that trusts, integrated care boards and
// councils write about their own systems, and shares some of them.
func (l *learningGen) localLessons(orgs []*org) {
	byRegion := map[int][]*org{}
	for _, o := range orgs {
		byRegion[o.region] = append(byRegion[o.region], o)
	}
	for _, o := range orgs {
		topics := localTopics[o.kind.typ]
		if len(topics) == 0 {
			continue
		}
		r := l.rng
		fill := strings.NewReplacer("{org}", o.name, "{short}", shortName(o))
		n := min(len(topics), 1+r.IntN(4))
		for _, ti := range r.Perm(len(topics))[:n] {
			t := &topics[ti]
			it := store.BulkItem{
				Item:     upskill.ContentItem{ID: l.newItemID(), Owner: upskill.OrgRef{ID: o.id}, Visibility: upskill.VisibleOwner},
				AuthorID: l.authors[o.id],
			}
			switch x := r.Float64(); {
			case x < everyoneShare:
				it.Item.Visibility = upskill.VisibleEveryone
			case x < everyoneShare+namedShare:
				var near []*org
				for _, p := range byRegion[o.region] {
					if p != o {
						near = append(near, p)
					}
				}
				if len(near) == 0 {
					break
				}
				it.Item.Visibility = upskill.VisibleNamed
				for _, k := range r.Perm(len(near))[:min(len(near), 1+r.IntN(3))] {
					it.Item.SharedWith = append(it.Item.SharedWith, upskill.SharedOrg{ID: near[k].id, Name: near[k].name})
				}
			}
			mappings, caps := l.mappings(t.codes)
			ext := fmt.Sprintf("%d", 2000+r.IntN(7000))
			pages := []upskill.LessonPage{
				{Title: "About this lesson", Body: paragraph(fill.Replace(t.why))},
				{Title: "Step by step", Body: bullets(fill, t.steps)},
			}
			if r.Float64() < 0.6 {
				help := "If you get stuck, contact " + t.help + " on extension " + ext + ", or ask a digital champion in your team."
				if strings.HasPrefix(t.help, "your ") {
					help = "If you get stuck, ask " + t.help + " or a digital champion in your team."
				}
				pages = append(pages, upskill.LessonPage{Title: "Getting help",
					Body: paragraph(fill.Replace(help + " The intranet of {org} has more guides."))})
			}
			pages[len(pages)-1].Questions = lessonQuestions(fill, t.questions)
			passMark := 0
			if r.Float64() < passMarkShare {
				passMark = 100
			}
			published := l.between(localFrom, localTo)
			v := upskill.ContentVersion{
				ID: l.newVersionID(), Status: upskill.ContentPublished, Title: fill.Replace(t.title), Summary: fill.Replace(t.summary),
				Format: upskill.FormatLesson, Minutes: 5 + 3*len(pages) + r.IntN(8), Mappings: mappings,
				BadgeBearing: r.Float64() < 0.1, Pages: pages, PassMark: passMark,
				CreatedAt: published.AddDate(0, 0, -2-r.IntN(20)), PublishedAt: published,
			}
			it.Item.CreatedAt = v.CreatedAt
			it.Versions = []upskill.ContentVersion{v}
			l.add(it, catalogueItem{caps: caps, owner: o.id})
		}
	}
}

// copies makes the adapted copies of national lessons that a few care
// homes keep: a lesson for everyone or for care homes, retitled for the
// home, with a page about how the home does things.
func (l *learningGen) copies(orgs []*org, national map[int]combo) {
	var sources []int
	for i, c := range national {
		if c.setting == forEveryone || c.setting == inCareHome {
			sources = append(sources, i)
		}
	}
	slices.Sort(sources)
	if len(sources) == 0 {
		return
	}
	for _, o := range orgs {
		if o.kind.typ != upskill.OrgCareHome || l.rng.Float64() >= copyShare {
			continue
		}
		r := l.rng
		si := sources[r.IntN(len(sources))]
		src := &l.g.b.Learning[si]
		copied := l.between(src.Versions[0].PublishedAt.AddDate(0, 1, 0), time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC))
		from := 0
		for j, v := range src.Versions {
			if !v.PublishedAt.After(copied) {
				from = j
			}
		}
		sv := &src.Versions[from]
		pages := append(slices.Clone(sv.Pages), upskill.LessonPage{Title: "At " + o.name, Body: "At " + o.name +
			", we follow this lesson with our own way of working. If anything is unclear, ask the registered manager or the deputy manager. " +
			"The policies folder in the office has the local details, and a digital champion is on most shifts to help."})
		published := copied.AddDate(0, 0, 7+r.IntN(30))
		v := *sv
		v.ID, v.Number, v.Status = l.newVersionID(), 0, upskill.ContentPublished
		v.Title = nationalTopics[national[si].topic].title + " at " + o.name
		v.Summary = sv.Summary + " Adapted by " + o.name + " with how the home does things."
		v.Pages, v.CreatedAt, v.PublishedAt, v.ReviewBy = pages, copied, published, time.Time{}
		v.Minutes = min(45, v.Minutes+3)
		meta := l.items[si]
		meta.owner, meta.national, meta.copy = o.id, false, true
		l.add(store.BulkItem{
			Item: upskill.ContentItem{ID: l.newItemID(), Owner: upskill.OrgRef{ID: o.id}, Visibility: upskill.VisibleOwner,
				CopiedFrom: &upskill.ContentOrigin{ItemID: src.Item.ID, Version: from + 1}, CreatedAt: copied},
			AuthorID: l.authors[o.id],
			Versions: []upskill.ContentVersion{v},
		}, meta)
	}
}

func clampInt(x, lo, hi int) int { return max(lo, min(hi, x)) }

// enrolments makes the enrolments of every member of staff who has
// submitted an attempt at the assessment. Like attempts, each person's
// come from a random stream of their own, so that people can be made in
// parallel.
func (l *learningGen) enrolments(seed uint64) []upskill.Enrolment {
	b := l.g.b
	// Each person's latest submitted attempt: attempts come in the order
	// of the staff, each person's in the order of the cycles.
	latest := make(map[int64]int, len(l.g.staff))
	for i := range b.Attempts {
		if b.Attempts[i].Status == upskill.AttemptSubmitted {
			latest[b.Attempts[i].PersonID] = i
		}
	}
	// What each organisation's staff may find.
	visible := map[int64][]int{}
	for _, o := range b.Organisations {
		if o.Level != upskill.LevelOrganisation {
			continue
		}
		var list []int
		for i := range b.Learning {
			if b.Learning[i].Item.FoundBy([]int64{o.ID}) {
				list = append(list, i)
			}
		}
		visible[o.ID] = list
	}
	capAt := map[int64]int{}
	for i, c := range l.v.Capabilities() {
		capAt[c.ID] = i
	}

	workers := max(1, min(runtime.GOMAXPROCS(0), len(l.g.staff)/2000))
	parts := make([][]upskill.Enrolment, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(l.g.staff)/workers, (w+1)*len(l.g.staff)/workers
		wg.Go(func() {
			e := &enroller{l: l, capAt: capAt, pcg: rand.NewPCG(0, 0), seed: seed ^ 0xe9a0_11ed, gaps: make([]float64, len(capAt)),
				out: make([]upskill.Enrolment, 0, 2*(hi-lo))} // about two a person
			e.rng = rand.New(e.pcg)
			for i := lo; i < hi; i++ {
				ms := &b.Memberships[l.g.staff[i].member]
				a, ok := latest[ms.PersonID]
				if !ok {
					continue
				}
				e.person(i, ms, &b.Attempts[a], visible[ms.OrganisationID], l.g.showcase[ms.PersonID])
			}
			parts[w] = e.out
		})
	}
	wg.Wait()
	return slices.Concat(parts...)
}

// enroller makes people's enrolments on one goroutine.
type enroller struct {
	l       *learningGen
	capAt   map[int64]int
	pcg     *rand.PCG
	rng     *rand.Rand
	seed    uint64
	gaps    []float64
	weights []float64
	out     []upskill.Enrolment
	pages   []int // pages seen are cut from large blocks
}

// person makes the enrolments of the i-th member of staff, whose
// membership is ms and whose latest submitted attempt is a, on the items
// their organisation's staff may find. Learning mapped to the statements
// with the largest gaps between now and needed is the likeliest; so is
// learning written for their staff group, their own organisation's and
// their home's adapted copies. A person shown as a demo login has at least
// one completion and one piece of learning in progress.
func (e *enroller) person(i int, ms *upskill.Membership, a *upskill.Attempt, visible []int, shown bool) {
	e.pcg.Seed(e.seed, uint64(i))
	r, l := e.rng, e.l
	k := pickWeight(r, enrolmentCounts)
	if shown {
		k = max(k, 3)
	}
	if k == 0 || len(visible) == 0 {
		return
	}
	clear(e.gaps)
	for _, ans := range a.Answers {
		if c, ok := e.capAt[ans.CapabilityID]; ok {
			e.gaps[c] = float64(ans.Needed - ans.Now)
		}
	}
	// People start learning in the weeks after their assessment.
	at := a.SubmittedAt.Add(time.Duration(r.ExpFloat64()*4*24*3600) * time.Second).Truncate(time.Second)
	e.weights = e.weights[:0]
	for _, it := range visible {
		meta := &l.items[it]
		w := 0.0
		if !l.g.b.Learning[it].Versions[0].PublishedAt.After(at) {
			w = 0.15
			for _, c := range meta.caps {
				w += max(0, e.gaps[c]-0.5)
			}
			switch {
			case len(meta.groups) > 0 && !slices.Contains(meta.groups, ms.StaffGroup):
				w *= 0.15
			case meta.copy:
				w *= 6 // the home's own version, which its managers point people to
			case !meta.national && meta.owner == ms.OrganisationID:
				w *= 2
			}
		}
		e.weights = append(e.weights, w)
	}
	for n := range k {
		j := pickWeight(r, e.weights)
		if e.weights[j] == 0 {
			break // nothing left published in time
		}
		e.weights[j] = 0
		it := &l.g.b.Learning[visible[j]]
		done := r.Float64() < completedShare
		if shown {
			done = n != 1
		}
		e.out = append(e.out, e.enrol(ms, it, at, done))
		at = at.Add(time.Duration((0.5+r.ExpFloat64()*5)*24*3600) * time.Second).Truncate(time.Second)
	}
}

// enrol makes one enrolment, started at the given time on the version
// published then: complete, with every page seen and the pass mark
// reached, or part of the way through.
func (e *enroller) enrol(ms *upskill.Membership, it *store.BulkItem, at time.Time, done bool) upskill.Enrolment {
	r := e.rng
	v := &it.Versions[0]
	for j := range it.Versions {
		if !it.Versions[j].PublishedAt.After(at) {
			v = &it.Versions[j]
		}
	}
	en := upskill.Enrolment{
		PersonID: ms.PersonID, ItemID: it.Item.ID, OrganisationID: ms.OrganisationID, VersionID: v.ID,
		Status: upskill.Enrolled, CreatedAt: at,
	}
	if v.Format != upskill.FormatLesson {
		if done {
			en.Status = upskill.Completed
			en.CompletedAt = en.CreatedAt.Add(time.Duration(v.Minutes*60+r.IntN(3*24*3600)) * time.Second)
			en.Score = 100
		}
		return en
	}
	seen := len(v.Pages)
	if !done {
		seen = r.IntN(len(v.Pages))
	}
	en.PagesSeen = block(&e.pages, seen)
	for p := range seen {
		en.PagesSeen[p] = p + 1
	}
	full := float64(v.Minutes*60) * (0.6 + 0.8*r.Float64())
	en.Seconds = max(60, int(full*float64(seen)/float64(len(v.Pages))))
	if seen == 0 {
		en.Seconds = 0
	}
	// Answers to the questions on the pages seen, most of them right.
	for p := range seen {
		for q := range v.Pages[p].Questions {
			if en.Answers == nil {
				en.Answers = map[string][]int{}
			}
			en.Answers[upskill.AnswerKey(p+1, q+1)] = e.answer(&v.Pages[p].Questions[q], r.Float64() < 0.8)
		}
	}
	if done {
		// People who miss the pass mark try again until they reach it.
	retry:
		for p := range v.Pages {
			for q := range v.Pages[p].Questions {
				if en.Result(v).Percent() >= v.PassMark {
					break retry
				}
				en.Answers[upskill.AnswerKey(p+1, q+1)] = e.answer(&v.Pages[p].Questions[q], true)
			}
		}
		en.Status, en.Score = upskill.Completed, en.Result(v).Percent()
		// Most finish in one sitting; others come back within a fortnight.
		en.CompletedAt = en.CreatedAt.Add(time.Duration(en.Seconds) * time.Second)
		if r.Float64() < 0.35 {
			en.CompletedAt = en.CompletedAt.Add(time.Duration(1+r.IntN(14)) * 24 * time.Hour)
		}
	}
	return en
}

// answer picks the options of an answer to q: the right ones, or a near
// miss.
func (e *enroller) answer(q *upskill.LessonQuestion, right bool) []int {
	r := e.rng
	var correct, wrong []int
	for i, o := range q.Options {
		if o.Correct {
			correct = append(correct, i)
		} else {
			wrong = append(wrong, i)
		}
	}
	if right || len(wrong) == 0 {
		return correct
	}
	if !q.Multiple {
		return []int{wrong[r.IntN(len(wrong))]}
	}
	// Several right: a near miss leaves one out or adds one too many.
	if len(correct) > 1 && r.IntN(2) == 0 {
		k := r.IntN(len(correct))
		return slices.Delete(slices.Clone(correct), k, k+1)
	}
	out := append(slices.Clone(correct), wrong[r.IntN(len(wrong))])
	slices.Sort(out)
	return out
}

// pickWeight returns an index chosen with the given weights, or 0 when
// they are all zero.
func pickWeight(r *rand.Rand, weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	if total == 0 {
		return 0
	}
	x := r.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}
