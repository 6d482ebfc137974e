package demo

import "upskill"

// This file is the demo's picture of health and care organisations: the
// jobs people do, who works in which kind of department or team, and the
// departments and teams each kind of organisation has. The figures are
// rough shapes, not statistics.

// job is a job role with its staff group and pay band. rank orders
// seniority: the most senior people of a unit become its supervisors.
type job struct {
	group upskill.StaffGroup
	role  string
	band  upskill.PayBand
	rank  int
}

// share is how many of a unit's staff, relative to the others, do a job.
type share struct {
	job job
	w   int
}

// mix is who works in a kind of unit.
type mix []share

// NHS jobs, on Agenda for Change bands or medical grades.
var (
	staffNurse       = job{"nursing_midwifery", "Staff nurse", "afc_5", 2}
	seniorNurse      = job{"nursing_midwifery", "Senior staff nurse", "afc_6", 3}
	wardSister       = job{"nursing_midwifery", "Ward sister", "afc_7", 4}
	chargeNurse      = job{"nursing_midwifery", "Charge nurse", "afc_7", 4}
	matron           = job{"nursing_midwifery", "Matron", "afc_8a", 5}
	nurseSpecialist  = job{"nursing_midwifery", "Clinical nurse specialist", "afc_7", 3}
	acp              = job{"nursing_midwifery", "Advanced clinical practitioner", "afc_8a", 4}
	childrensNurse   = job{"nursing_midwifery", "Children's nurse", "afc_5", 2}
	neonatalNurse    = job{"nursing_midwifery", "Neonatal nurse", "afc_5", 2}
	theatreNurse     = job{"nursing_midwifery", "Theatre nurse", "afc_5", 2}
	midwife          = job{"nursing_midwifery", "Midwife", "afc_6", 2}
	seniorMidwife    = job{"nursing_midwifery", "Senior midwife", "afc_7", 4}
	mhNurse          = job{"nursing_midwifery", "Mental health nurse", "afc_5", 2}
	communityMHNurse = job{"nursing_midwifery", "Community mental health nurse", "afc_6", 3}
	ldNurse          = job{"nursing_midwifery", "Learning disability nurse", "afc_6", 3}
	districtNurse    = job{"nursing_midwifery", "District nurse", "afc_6", 3}
	communityNurse   = job{"nursing_midwifery", "Community staff nurse", "afc_5", 2}
	healthVisitor    = job{"nursing_midwifery", "Health visitor", "afc_6", 3}
	schoolNurse      = job{"nursing_midwifery", "School nurse", "afc_6", 2}
	practiceNurse    = job{"nursing_midwifery", "Practice nurse", "afc_6", 3}
	practiceEducator = job{"nursing_midwifery", "Clinical practice educator", "afc_7", 3}
	ipcNurse         = job{"nursing_midwifery", "Infection prevention and control nurse", "afc_7", 3}
	clinicalAdvisor  = job{"nursing_midwifery", "Clinical advisor", "afc_6", 3}
	qualityNurse     = job{"nursing_midwifery", "Quality lead nurse", "afc_8a", 4}
	hospiceNurse     = job{"nursing_midwifery", "Hospice at home nurse", "afc_6", 3}

	hca                = job{"clinical_support", "Healthcare assistant", "afc_2", 1}
	seniorHCA          = job{"clinical_support", "Senior healthcare assistant", "afc_3", 1}
	nursingAssociate   = job{"clinical_support", "Nursing associate", "afc_4", 2}
	maternitySupport   = job{"clinical_support", "Maternity support worker", "afc_3", 1}
	theatreSupport     = job{"clinical_support", "Theatre support worker", "afc_3", 1}
	therapyAssistant   = job{"clinical_support", "Therapy assistant", "afc_3", 1}
	phlebotomist       = job{"clinical_support", "Phlebotomist", "afc_2", 1}
	labAssistant       = job{"clinical_support", "Medical laboratory assistant", "afc_2", 1}
	radiographyAsst    = job{"clinical_support", "Radiography assistant", "afc_3", 1}
	pharmacyAssistant  = job{"clinical_support", "Pharmacy assistant", "afc_3", 1}
	supportTimeWorker  = job{"clinical_support", "Support, time and recovery worker", "afc_3", 1}
	emt                = job{"clinical_support", "Emergency medical technician", "afc_4", 2}
	emergencyCareAsst  = job{"clinical_support", "Emergency care assistant", "afc_3", 1}
	transportDriver    = job{"clinical_support", "Patient transport driver", "afc_2", 1}
	nurseryNurse       = job{"clinical_support", "Community nursery nurse", "afc_4", 1}
	linkWorker         = job{"clinical_support", "Social prescribing link worker", "afc_4", 2}
	bereavementSupport = job{"clinical_support", "Bereavement support worker", "afc_4", 1}
	familySupport      = job{"clinical_support", "Family support worker", "afc_4", 1}
	wellbeingPractice  = job{"clinical_support", "Psychological wellbeing practitioner", "afc_5", 2}

	foundationDoctor   = job{"medical_dental", "Foundation doctor", "med_foundation", 2}
	coreTrainee        = job{"medical_dental", "Core trainee", "med_resident", 2}
	registrar          = job{"medical_dental", "Specialty registrar", "med_resident", 3}
	specialtyDoctor    = job{"medical_dental", "Specialty doctor", "med_sas", 3}
	clinicalDirector   = job{"medical_dental", "Clinical director", "med_consultant", 6}
	consultantED       = job{"medical_dental", "Consultant in emergency medicine", "med_consultant", 5}
	consultantPhys     = job{"medical_dental", "Consultant physician", "med_consultant", 5}
	consultantSurgeon  = job{"medical_dental", "Consultant surgeon", "med_consultant", 5}
	consultantAnaes    = job{"medical_dental", "Consultant anaesthetist", "med_consultant", 5}
	consultantICU      = job{"medical_dental", "Consultant in intensive care medicine", "med_consultant", 5}
	consultantObs      = job{"medical_dental", "Consultant obstetrician", "med_consultant", 5}
	consultantPaed     = job{"medical_dental", "Consultant paediatrician", "med_consultant", 5}
	consultantRadiol   = job{"medical_dental", "Consultant radiologist", "med_consultant", 5}
	consultantPath     = job{"medical_dental", "Consultant pathologist", "med_consultant", 5}
	consultantPsych    = job{"medical_dental", "Consultant psychiatrist", "med_consultant", 5}
	consultantPall     = job{"medical_dental", "Consultant in palliative medicine", "med_consultant", 5}
	consultantGeriatr  = job{"medical_dental", "Consultant geriatrician", "med_consultant", 5}
	gpPartner          = job{"medical_dental", "GP partner", "med_gp", 5}
	salariedGP         = job{"medical_dental", "Salaried GP", "med_gp", 4}
	gpRegistrar        = job{"medical_dental", "GP registrar", "med_resident", 2}
	gpClinicalLead     = job{"medical_dental", "Clinical lead (GP)", "med_gp", 5}
	physio             = job{"allied_health", "Physiotherapist", "afc_5", 2}
	seniorPhysio       = job{"allied_health", "Senior physiotherapist", "afc_6", 3}
	occupationalTher   = job{"allied_health", "Occupational therapist", "afc_5", 2}
	seniorOT           = job{"allied_health", "Senior occupational therapist", "afc_6", 3}
	speechTherapist    = job{"allied_health", "Speech and language therapist", "afc_6", 2}
	dietitian          = job{"allied_health", "Dietitian", "afc_5", 2}
	radiographer       = job{"allied_health", "Diagnostic radiographer", "afc_5", 2}
	seniorRadiographer = job{"allied_health", "Senior radiographer", "afc_6", 3}
	sonographer        = job{"allied_health", "Sonographer", "afc_7", 3}
	odp                = job{"allied_health", "Operating department practitioner", "afc_5", 2}
	paramedic          = job{"allied_health", "Paramedic", "afc_6", 2}
	specialistMedic    = job{"allied_health", "Specialist paramedic", "afc_7", 3}
	opsManager         = job{"allied_health", "Ambulance operations manager", "afc_8a", 5}
	podiatrist         = job{"allied_health", "Podiatrist", "afc_6", 2}
	artTherapist       = job{"allied_health", "Art therapist", "afc_6", 2}

	biomedScientist   = job{"healthcare_science", "Biomedical scientist", "afc_5", 2}
	seniorBiomed      = job{"healthcare_science", "Senior biomedical scientist", "afc_6", 3}
	cardiacPhysiol    = job{"healthcare_science", "Cardiac physiologist", "afc_5", 2}
	clinicalScientist = job{"healthcare_science", "Clinical scientist", "afc_7", 4}

	pharmacist       = job{"scientific_technical", "Pharmacist", "afc_7", 3}
	chiefPharmacist  = job{"scientific_technical", "Chief pharmacist", "afc_8c", 5}
	pharmacyTech     = job{"scientific_technical", "Pharmacy technician", "afc_5", 2}
	clinicalPharm    = job{"scientific_technical", "Clinical pharmacist", "afc_7", 3}
	psychologist     = job{"scientific_technical", "Clinical psychologist", "afc_8a", 4}
	counsellor       = job{"scientific_technical", "Counsellor", "afc_6", 2}
	cbtTherapist     = job{"scientific_technical", "Cognitive behavioural therapist", "afc_7", 3}
	chaplain         = job{"scientific_technical", "Chaplain", "afc_6", 2}
	wardClerk        = job{"admin_clerical", "Ward clerk", "afc_2", 1}
	receptionist     = job{"admin_clerical", "Receptionist", "afc_2", 1}
	medicalSecretary = job{"admin_clerical", "Medical secretary", "afc_4", 1}
	administrator    = job{"admin_clerical", "Administrator", "afc_3", 1}
	adminLead        = job{"admin_clerical", "Administration team leader", "afc_4", 3}
	bookingClerk     = job{"admin_clerical", "Booking clerk", "afc_2", 1}
	serviceManager   = job{"admin_clerical", "Service manager", "afc_8a", 5}
	financeOfficer   = job{"admin_clerical", "Finance officer", "afc_4", 1}
	payrollOfficer   = job{"admin_clerical", "Payroll officer", "afc_3", 1}
	accountant       = job{"admin_clerical", "Management accountant", "afc_7", 3}
	headOfFinance    = job{"admin_clerical", "Head of financial management", "afc_8c", 5}
	peopleAdvisor    = job{"admin_clerical", "People advisor", "afc_5", 2}
	peoplePartner    = job{"admin_clerical", "People business partner", "afc_7", 4}
	recruitment      = job{"admin_clerical", "Recruitment officer", "afc_4", 1}
	learningLead     = job{"admin_clerical", "Learning and development lead", "afc_6", 3}
	learningAdmin    = job{"admin_clerical", "Learning and development administrator", "afc_3", 1}
	serviceDesk      = job{"admin_clerical", "Service desk analyst", "afc_4", 1}
	systemsTrainer   = job{"admin_clerical", "Clinical systems trainer", "afc_5", 2}
	systemsAnalyst   = job{"admin_clerical", "Clinical systems analyst", "afc_6", 2}
	developer        = job{"admin_clerical", "Software developer", "afc_6", 2}
	dataAnalyst      = job{"admin_clerical", "Data analyst", "afc_6", 2}
	dataEngineer     = job{"admin_clerical", "Data engineer", "afc_7", 3}
	infoGovernance   = job{"admin_clerical", "Information governance officer", "afc_5", 2}
	cyberAnalyst     = job{"admin_clerical", "Cyber security analyst", "afc_6", 2}
	headOfDigital    = job{"admin_clerical", "Head of digital services", "afc_8c", 5}
	patientSafety    = job{"admin_clerical", "Patient safety manager", "afc_7", 4}
	governanceOff    = job{"admin_clerical", "Governance facilitator", "afc_5", 2}
	callHandler      = job{"admin_clerical", "Emergency call handler", "afc_3", 1}
	dispatcher       = job{"admin_clerical", "Emergency medical dispatcher", "afc_4", 2}
	controlManager   = job{"admin_clerical", "Control room manager", "afc_7", 4}
	healthAdvisor    = job{"admin_clerical", "Health advisor (NHS 111)", "afc_3", 1}
	commissioningMgr = job{"admin_clerical", "Commissioning manager", "afc_8a", 4}
	projectOfficer   = job{"admin_clerical", "Project officer", "afc_5", 2}
	programmeLead    = job{"admin_clerical", "Programme lead", "afc_8b", 5}
	digitalLead      = job{"admin_clerical", "Digital transformation lead", "afc_8b", 5}
	analyticsLead    = job{"admin_clerical", "Head of population health analytics", "afc_8c", 5}
	practiceManager  = job{"admin_clerical", "Practice manager", "afc_7", 5}
	careNavigator    = job{"admin_clerical", "Care navigator", "afc_3", 1}
	prescriptions    = job{"admin_clerical", "Prescriptions clerk", "afc_3", 1}
	fundraiser       = job{"admin_clerical", "Fundraising officer", "afc_4", 1}
	shopManager      = job{"admin_clerical", "Charity shop manager", "afc_4", 3}
	volunteerCoord   = job{"admin_clerical", "Volunteer coordinator", "afc_4", 2}

	porter          = job{"estates_ancillary", "Porter", "afc_2", 1}
	domestic        = job{"estates_ancillary", "Domestic assistant", "afc_2", 1}
	cateringAsst    = job{"estates_ancillary", "Catering assistant", "afc_2", 1}
	chef            = job{"estates_ancillary", "Chef", "afc_3", 2}
	estatesOfficer  = job{"estates_ancillary", "Estates officer", "afc_5", 3}
	maintenanceTech = job{"estates_ancillary", "Maintenance technician", "afc_4", 1}
	facilitiesSup   = job{"estates_ancillary", "Facilities supervisor", "afc_4", 3}
	vehicleTech     = job{"estates_ancillary", "Vehicle technician", "afc_4", 1}
	fleetAssistant  = job{"estates_ancillary", "Fleet assistant", "afc_2", 1}

	studentNurse = job{"students", "Student nurse", "other", 0}
)

// Social care jobs. Social care has no national pay scale.
var (
	careWorker        = job{"care_direct", "Care worker", "other", 1}
	seniorCareWorker  = job{"care_direct", "Senior care worker", "other", 2}
	supportWorker     = job{"care_direct", "Support worker", "other", 1}
	homeCareWorker    = job{"care_direct", "Home care worker", "other", 1}
	liveInCarer       = job{"care_direct", "Live-in carer", "other", 1}
	reablementWorker  = job{"care_direct", "Reablement worker", "other", 1}
	socialWorkAsst    = job{"care_direct", "Social work assistant", "other", 1}
	otAssistant       = job{"care_direct", "Occupational therapy assistant", "other", 1}
	registeredManager = job{"care_management", "Registered manager", "other", 6}
	deputyManager     = job{"care_management", "Deputy manager", "other", 5}
	careTeamLeader    = job{"care_management", "Team leader", "other", 3}
	careCoordinator   = job{"care_management", "Care coordinator", "other", 3}
	fieldSupervisor   = job{"care_management", "Field care supervisor", "other", 3}
	teamManager       = job{"care_management", "Team manager", "other", 5}
	socialWorker      = job{"care_regulated", "Social worker", "other", 3}
	seniorSocialWkr   = job{"care_regulated", "Senior social worker", "other", 4}
	careOT            = job{"care_regulated", "Occupational therapist", "other", 3}
	careNurse         = job{"care_regulated", "Registered nurse", "other", 3}
	clinicalLeadNurse = job{"care_regulated", "Clinical lead nurse", "other", 4}
	careAdmin         = job{"care_other", "Administrator", "other", 1}
	businessSupport   = job{"care_other", "Business support officer", "other", 1}
	cook              = job{"care_other", "Cook", "other", 1}
	kitchenAssistant  = job{"care_other", "Kitchen assistant", "other", 1}
	housekeeper       = job{"care_other", "Housekeeper", "other", 1}
	laundryAssistant  = job{"care_other", "Laundry assistant", "other", 1}
	maintenanceWorker = job{"care_other", "Maintenance worker", "other", 1}
	activities        = job{"care_other", "Activities coordinator", "other", 1}
	brokerageOfficer  = job{"care_other", "Brokerage officer", "other", 1}
	contractsOfficer  = job{"care_other", "Contracts and quality officer", "other", 2}
	systemsOfficer    = job{"care_other", "Systems support officer", "other", 2}
	trainingCoord     = job{"care_other", "Training coordinator", "other", 2}
)

// Who works where. A function makes a ward's mix for its specialty.
func wardMix(consultant job) mix {
	return mix{{staffNurse, 30}, {seniorNurse, 8}, {wardSister, 2}, {hca, 18}, {seniorHCA, 4},
		{nursingAssociate, 4}, {studentNurse, 3}, {foundationDoctor, 4}, {registrar, 3}, {consultant, 2},
		{wardClerk, 2}, {domestic, 2}, {physio, 1}, {phlebotomist, 1}}
}

var (
	edMix = mix{{staffNurse, 25}, {seniorNurse, 8}, {chargeNurse, 3}, {acp, 3}, {hca, 12},
		{foundationDoctor, 5}, {coreTrainee, 4}, {registrar, 4}, {specialtyDoctor, 3}, {consultantED, 3},
		{receptionist, 3}, {porter, 1}}
	childrensEDMix = mix{{childrensNurse, 20}, {seniorNurse, 5}, {hca, 6}, {registrar, 3}, {consultantPaed, 2}, {receptionist, 2}}
	clinicalMgmt   = func(lead job) mix {
		return mix{{matron, 3}, {serviceManager, 2}, {clinicalDirector, 1}, {lead, 1}, {medicalSecretary, 4}, {administrator, 3}, {nurseSpecialist, 3}}
	}
	dayUnitMix    = mix{{staffNurse, 10}, {seniorNurse, 3}, {hca, 5}, {odp, 2}, {bookingClerk, 2}}
	theatreMix    = mix{{theatreNurse, 15}, {odp, 12}, {theatreSupport, 8}, {consultantAnaes, 4}, {consultantSurgeon, 3}, {registrar, 4}, {specialtyDoctor, 2}, {porter, 2}}
	anaesMix      = mix{{consultantAnaes, 8}, {registrar, 5}, {coreTrainee, 4}, {specialtyDoctor, 3}, {medicalSecretary, 2}}
	recoveryMix   = mix{{staffNurse, 12}, {seniorNurse, 3}, {hca, 4}}
	icuMix        = mix{{staffNurse, 40}, {seniorNurse, 10}, {wardSister, 2}, {hca, 6}, {consultantICU, 4}, {registrar, 4}, {physio, 2}, {pharmacist, 1}, {wardClerk, 1}}
	labourMix     = mix{{midwife, 25}, {seniorMidwife, 5}, {maternitySupport, 8}, {consultantObs, 3}, {registrar, 3}, {foundationDoctor, 2}, {wardClerk, 1}}
	antenatalMix  = mix{{midwife, 10}, {sonographer, 3}, {maternitySupport, 4}, {bookingClerk, 2}, {consultantObs, 1}}
	neonatalMix   = mix{{neonatalNurse, 20}, {seniorNurse, 5}, {hca, 3}, {consultantPaed, 2}, {registrar, 2}}
	childrensMix  = mix{{childrensNurse, 20}, {seniorNurse, 5}, {hca, 5}, {consultantPaed, 2}, {registrar, 2}, {foundationDoctor, 2}, {wardClerk, 1}}
	outpatientMix = mix{{staffNurse, 8}, {hca, 8}, {receptionist, 8}, {bookingClerk, 6}, {medicalSecretary, 4}, {adminLead, 1}}
	bookingMix    = mix{{bookingClerk, 12}, {administrator, 5}, {adminLead, 2}, {serviceManager, 1}}
	radiologyMix  = mix{{radiographer, 15}, {seniorRadiographer, 5}, {sonographer, 4}, {radiographyAsst, 6}, {consultantRadiol, 4}, {receptionist, 3}}
	pathologyMix  = mix{{biomedScientist, 15}, {seniorBiomed, 6}, {labAssistant, 12}, {clinicalScientist, 2}, {consultantPath, 2}, {administrator, 2}}
	cardiacMix    = mix{{cardiacPhysiol, 10}, {clinicalScientist, 2}, {hca, 3}, {administrator, 2}}
	pharmacyMix   = mix{{pharmacist, 10}, {pharmacyTech, 12}, {pharmacyAssistant, 10}, {chiefPharmacist, 1}, {administrator, 2}}
	physioMix     = mix{{physio, 12}, {seniorPhysio, 5}, {therapyAssistant, 6}, {administrator, 1}}
	otMix         = mix{{occupationalTher, 10}, {seniorOT, 4}, {therapyAssistant, 5}, {administrator, 1}}
	sltMix        = mix{{speechTherapist, 8}, {therapyAssistant, 2}, {administrator, 1}}
	dieteticsMix  = mix{{dietitian, 8}, {therapyAssistant, 2}, {administrator, 1}}
	podiatryMix   = mix{{podiatrist, 8}, {therapyAssistant, 2}, {receptionist, 1}}

	digitalLeadMix  = mix{{headOfDigital, 1}, {programmeLead, 2}, {administrator, 1}}
	serviceDeskMix  = mix{{serviceDesk, 10}, {adminLead, 1}}
	clinicalSysMix  = mix{{systemsTrainer, 6}, {systemsAnalyst, 6}, {developer, 3}, {nurseSpecialist, 1}}
	dataMix         = mix{{dataAnalyst, 8}, {dataEngineer, 3}, {administrator, 1}}
	infoGovMix      = mix{{infoGovernance, 4}, {cyberAnalyst, 3}}
	financeMix      = mix{{financeOfficer, 8}, {payrollOfficer, 5}, {accountant, 4}, {headOfFinance, 1}}
	peopleMix       = mix{{peopleAdvisor, 6}, {peoplePartner, 3}, {recruitment, 5}, {administrator, 3}}
	learningMix     = mix{{learningLead, 4}, {learningAdmin, 4}, {practiceEducator, 4}}
	estatesLeadMix  = mix{{estatesOfficer, 3}, {facilitiesSup, 3}, {administrator, 2}}
	porteringMix    = mix{{porter, 12}, {facilitiesSup, 1}}
	cateringMix     = mix{{cateringAsst, 10}, {chef, 3}, {facilitiesSup, 1}}
	domesticMix     = mix{{domestic, 14}, {facilitiesSup, 1}}
	maintenanceMix  = mix{{maintenanceTech, 8}, {estatesOfficer, 2}}
	qualityMix      = mix{{patientSafety, 3}, {governanceOff, 4}, {ipcNurse, 3}, {chaplain, 1}}
	mhWardMix       = mix{{mhNurse, 20}, {seniorNurse, 5}, {wardSister, 2}, {hca, 14}, {supportTimeWorker, 4}, {consultantPsych, 2}, {specialtyDoctor, 2}, {occupationalTher, 2}, {psychologist, 1}, {wardClerk, 1}}
	cmhtMix         = mix{{communityMHNurse, 12}, {supportTimeWorker, 6}, {occupationalTher, 3}, {psychologist, 2}, {consultantPsych, 2}, {specialtyDoctor, 1}, {administrator, 3}}
	camhsMix        = mix{{communityMHNurse, 8}, {psychologist, 4}, {cbtTherapist, 3}, {consultantPsych, 1}, {familySupport, 3}, {administrator, 2}}
	talkingMix      = mix{{wellbeingPractice, 12}, {cbtTherapist, 8}, {counsellor, 4}, {psychologist, 2}, {administrator, 3}}
	ldTeamMix       = mix{{ldNurse, 8}, {speechTherapist, 2}, {psychologist, 1}, {supportTimeWorker, 4}, {administrator, 1}}
	olderAdultMix   = mix{{mhNurse, 16}, {hca, 14}, {consultantGeriatr, 1}, {consultantPsych, 1}, {occupationalTher, 2}, {wardClerk, 1}}
	districtMix     = mix{{districtNurse, 8}, {communityNurse, 14}, {nursingAssociate, 4}, {hca, 6}, {administrator, 2}}
	visitingMix     = mix{{healthVisitor, 10}, {nurseryNurse, 5}, {administrator, 2}}
	schoolMix       = mix{{schoolNurse, 8}, {nurseryNurse, 2}, {administrator, 1}}
	rehabMix        = mix{{staffNurse, 12}, {hca, 10}, {physio, 3}, {occupationalTher, 3}, {specialtyDoctor, 1}, {wardClerk, 1}}
	urgentRespMix   = mix{{acp, 4}, {communityNurse, 6}, {physio, 2}, {occupationalTher, 2}, {hca, 4}}
	callMix         = mix{{callHandler, 20}, {dispatcher, 8}, {controlManager, 1}}
	clinicalHubMix  = mix{{clinicalAdvisor, 8}, {specialistMedic, 4}, {controlManager, 1}}
	stationMix      = mix{{paramedic, 20}, {specialistMedic, 3}, {emt, 10}, {emergencyCareAsst, 8}, {opsManager, 1}}
	nhs111Mix       = mix{{healthAdvisor, 20}, {clinicalAdvisor, 6}, {adminLead, 1}}
	transportMix    = mix{{transportDriver, 15}, {administrator, 3}, {adminLead, 1}}
	fleetMix        = mix{{vehicleTech, 6}, {fleetAssistant, 4}, {facilitiesSup, 1}}
	commissionMix   = mix{{commissioningMgr, 4}, {projectOfficer, 4}, {programmeLead, 1}, {administrator, 2}}
	icbQualityMix   = mix{{qualityNurse, 3}, {patientSafety, 2}, {governanceOff, 2}}
	icbDigitalMix   = mix{{digitalLead, 1}, {projectOfficer, 3}, {systemsAnalyst, 2}, {dataEngineer, 1}}
	icbAnalyticsMix = mix{{analyticsLead, 1}, {dataAnalyst, 5}, {dataEngineer, 2}}
	icbPrimaryMix   = mix{{gpClinicalLead, 1}, {commissioningMgr, 2}, {clinicalPharm, 2}, {projectOfficer, 2}}
	gpClinicalMix   = mix{{gpPartner, 4}, {salariedGP, 3}, {gpRegistrar, 1}, {practiceNurse, 4}, {acp, 1}, {hca, 3}, {clinicalPharm, 1}, {linkWorker, 1}}
	gpAdminMix      = mix{{practiceManager, 1}, {receptionist, 6}, {careNavigator, 3}, {medicalSecretary, 2}, {prescriptions, 2}, {administrator, 2}}

	careFloorMix     = mix{{careWorker, 40}, {seniorCareWorker, 12}, {careTeamLeader, 3}}
	nursingFloorMix  = mix{{careNurse, 12}, {clinicalLeadNurse, 1}, {careWorker, 30}, {seniorCareWorker, 8}}
	dementiaMix      = mix{{careWorker, 30}, {seniorCareWorker, 8}, {careTeamLeader, 2}, {activities, 2}}
	dayCareMix       = mix{{careWorker, 8}, {supportWorker, 6}, {activities, 3}, {careTeamLeader, 1}}
	housekeepingMix  = mix{{cook, 4}, {kitchenAssistant, 4}, {housekeeper, 6}, {laundryAssistant, 3}, {maintenanceWorker, 1}}
	careOfficeMix    = mix{{registeredManager, 1}, {deputyManager, 1}, {careAdmin, 2}, {trainingCoord, 1}}
	homeCareTeamMix  = mix{{homeCareWorker, 40}, {seniorCareWorker, 8}, {fieldSupervisor, 3}}
	coordinationMix  = mix{{registeredManager, 1}, {careCoordinator, 4}, {fieldSupervisor, 2}, {careAdmin, 3}, {trainingCoord, 1}}
	reablementMix    = mix{{reablementWorker, 20}, {careOT, 2}, {careTeamLeader, 2}}
	liveInMix        = mix{{liveInCarer, 12}, {fieldSupervisor, 1}}
	complexCareMix   = mix{{supportWorker, 15}, {careNurse, 3}, {careTeamLeader, 2}}
	assessmentMix    = mix{{socialWorker, 12}, {seniorSocialWkr, 4}, {socialWorkAsst, 5}, {teamManager, 1}, {businessSupport, 2}}
	safeguardingMix  = mix{{socialWorker, 8}, {seniorSocialWkr, 3}, {teamManager, 1}, {businessSupport, 1}}
	laReablementMix  = mix{{reablementWorker, 20}, {careTeamLeader, 3}, {careOT, 2}, {teamManager, 1}}
	laOTMix          = mix{{careOT, 8}, {otAssistant, 6}, {teamManager, 1}}
	brokerageMix     = mix{{brokerageOfficer, 6}, {contractsOfficer, 4}, {teamManager, 1}}
	businessMix      = mix{{businessSupport, 10}, {systemsOfficer, 3}, {trainingCoord, 2}, {teamManager, 1}}
	laLeadMix        = mix{{teamManager, 3}, {businessSupport, 2}}
	hospiceWardMix   = mix{{staffNurse, 14}, {seniorNurse, 4}, {wardSister, 1}, {hca, 12}, {consultantPall, 1}, {specialtyDoctor, 2}}
	hospiceHomeMix   = mix{{hospiceNurse, 10}, {hca, 8}, {nurseSpecialist, 2}}
	dayTherapyMix    = mix{{physio, 2}, {occupationalTher, 2}, {artTherapist, 1}, {hca, 4}, {staffNurse, 2}}
	familyMix        = mix{{bereavementSupport, 4}, {counsellor, 3}, {familySupport, 2}, {chaplain, 1}}
	hospiceLearnMix  = mix{{practiceEducator, 2}, {learningLead, 1}, {learningAdmin, 1}}
	fundraisingMix   = mix{{fundraiser, 6}, {shopManager, 4}, {volunteerCoord, 2}}
	hospiceOfficeMix = mix{{serviceManager, 1}, {administrator, 4}, {financeOfficer, 2}, {peopleAdvisor, 1}, {receptionist, 2}}
)

// unitT is a department, or a team when it sits in another's teams.
type unitT struct {
	name string
	// w is the unit's share of the organisation's staff, relative to the
	// other units.
	w   int
	mix mix
	// p is the chance that an organisation has this unit; 0 means it always does.
	p     float64
	teams []unitT
}

// corporate are the corporate services of an NHS trust.
func corporate() []unitT {
	return []unitT{
		{name: "Digital and information services", w: 1, mix: digitalLeadMix, teams: []unitT{
			{name: "Service desk", w: 5, mix: serviceDeskMix},
			{name: "Clinical systems", w: 5, mix: clinicalSysMix},
			{name: "Data and analytics", w: 4, mix: dataMix},
			{name: "Information governance and cyber security", w: 2, mix: infoGovMix},
		}},
		{name: "Finance", w: 8, mix: financeMix},
		{name: "People and organisational development", w: 1, mix: peopleMix, teams: []unitT{
			{name: "Recruitment and workforce", w: 6, mix: peopleMix},
			{name: "Learning and development", w: 4, mix: learningMix},
		}},
		{name: "Estates and facilities", w: 1, mix: estatesLeadMix, teams: []unitT{
			{name: "Portering", w: 8, mix: porteringMix},
			{name: "Catering", w: 6, mix: cateringMix},
			{name: "Domestic services", w: 10, mix: domesticMix},
			{name: "Maintenance", w: 4, mix: maintenanceMix},
		}},
		{name: "Nursing, quality and patient safety", w: 4, mix: qualityMix},
	}
}

func acuteUnits() []unitT {
	return append([]unitT{
		{name: "Emergency department", w: 2, mix: clinicalMgmt(consultantED), teams: []unitT{
			{name: "Majors", w: 12, mix: edMix},
			{name: "Minors", w: 8, mix: edMix},
			{name: "Resuscitation", w: 6, mix: edMix},
			{name: "Children's emergency department", w: 5, mix: childrensEDMix, p: 0.7},
		}},
		{name: "Medicine", w: 3, mix: clinicalMgmt(consultantPhys), teams: []unitT{
			{name: "Acute medical unit", w: 10, mix: wardMix(consultantPhys)},
			{name: "Ward 10 (Cardiology)", w: 8, mix: wardMix(consultantPhys)},
			{name: "Ward 11 (Respiratory)", w: 8, mix: wardMix(consultantPhys)},
			{name: "Ward 14 (Gastroenterology)", w: 7, mix: wardMix(consultantPhys), p: 0.8},
			{name: "Ward 15 (Stroke)", w: 7, mix: wardMix(consultantPhys), p: 0.8},
			{name: "Ward 16 (Diabetes and endocrinology)", w: 6, mix: wardMix(consultantPhys), p: 0.5},
			{name: "Ward 20 (Care of older people)", w: 9, mix: wardMix(consultantGeriatr)},
			{name: "Ward 21 (Frailty)", w: 7, mix: wardMix(consultantGeriatr), p: 0.5},
		}},
		{name: "Surgery", w: 3, mix: clinicalMgmt(consultantSurgeon), teams: []unitT{
			{name: "Surgical assessment unit", w: 7, mix: wardMix(consultantSurgeon)},
			{name: "Ward 30 (General surgery)", w: 8, mix: wardMix(consultantSurgeon)},
			{name: "Ward 31 (Trauma and orthopaedics)", w: 8, mix: wardMix(consultantSurgeon)},
			{name: "Ward 32 (Urology)", w: 6, mix: wardMix(consultantSurgeon), p: 0.7},
			{name: "Ward 33 (Ear, nose and throat)", w: 5, mix: wardMix(consultantSurgeon), p: 0.5},
			{name: "Day surgery unit", w: 6, mix: dayUnitMix},
		}},
		{name: "Theatres and anaesthetics", w: 2, mix: clinicalMgmt(consultantAnaes), teams: []unitT{
			{name: "Main theatres", w: 14, mix: theatreMix},
			{name: "Anaesthetics", w: 6, mix: anaesMix},
			{name: "Recovery", w: 5, mix: recoveryMix},
		}},
		{name: "Critical care", w: 1, mix: clinicalMgmt(consultantICU), teams: []unitT{
			{name: "Intensive care unit", w: 12, mix: icuMix},
			{name: "High dependency unit", w: 6, mix: icuMix},
		}},
		{name: "Women's and children's services", w: 2, mix: clinicalMgmt(consultantObs), teams: []unitT{
			{name: "Labour ward", w: 9, mix: labourMix},
			{name: "Maternity ward", w: 7, mix: labourMix},
			{name: "Antenatal clinic", w: 4, mix: antenatalMix},
			{name: "Neonatal unit", w: 6, mix: neonatalMix},
			{name: "Children's ward", w: 7, mix: childrensMix},
		}},
		{name: "Outpatients", w: 2, mix: bookingMix, teams: []unitT{
			{name: "Outpatient clinics", w: 8, mix: outpatientMix},
			{name: "Appointments and booking", w: 5, mix: bookingMix},
		}},
		{name: "Diagnostics", w: 1, mix: clinicalMgmt(consultantRadiol), teams: []unitT{
			{name: "Radiology", w: 10, mix: radiologyMix},
			{name: "Pathology laboratories", w: 12, mix: pathologyMix},
			{name: "Cardiac investigations", w: 4, mix: cardiacMix},
			{name: "Phlebotomy", w: 3, mix: mix{{phlebotomist, 8}, {hca, 2}}},
		}},
		{name: "Pharmacy", w: 8, mix: pharmacyMix},
		{name: "Therapies", w: 1, mix: mix{{serviceManager, 1}, {administrator, 2}}, teams: []unitT{
			{name: "Physiotherapy", w: 8, mix: physioMix},
			{name: "Occupational therapy", w: 6, mix: otMix},
			{name: "Speech and language therapy", w: 3, mix: sltMix},
			{name: "Dietetics", w: 3, mix: dieteticsMix},
		}},
	}, corporate()...)
}

func mentalHealthUnits() []unitT {
	return append([]unitT{
		{name: "Adult inpatient services", w: 2, mix: clinicalMgmt(consultantPsych), teams: []unitT{
			{name: "Willow ward (acute admissions)", w: 8, mix: mhWardMix},
			{name: "Rowan ward (acute admissions)", w: 8, mix: mhWardMix},
			{name: "Hazel ward (psychiatric intensive care)", w: 6, mix: mhWardMix},
			{name: "Cedar ward (rehabilitation)", w: 5, mix: mhWardMix, p: 0.6},
		}},
		{name: "Older people's mental health", w: 1, mix: clinicalMgmt(consultantPsych), teams: []unitT{
			{name: "Beech ward (dementia assessment)", w: 6, mix: olderAdultMix},
			{name: "Memory assessment service", w: 4, mix: cmhtMix},
		}},
		{name: "Community mental health", w: 2, mix: clinicalMgmt(consultantPsych), teams: []unitT{
			{name: "Community mental health team (north)", w: 7, mix: cmhtMix},
			{name: "Community mental health team (south)", w: 7, mix: cmhtMix},
			{name: "Crisis resolution and home treatment", w: 6, mix: cmhtMix},
			{name: "Early intervention in psychosis", w: 4, mix: cmhtMix},
		}},
		{name: "Children and young people's mental health", w: 1, mix: clinicalMgmt(consultantPsych), teams: []unitT{
			{name: "Community CAMHS", w: 6, mix: camhsMix},
			{name: "Eating disorders service", w: 3, mix: camhsMix, p: 0.6},
		}},
		{name: "Talking therapies", w: 8, mix: talkingMix},
		{name: "Learning disability services", w: 4, mix: ldTeamMix, p: 0.7},
		{name: "Pharmacy", w: 3, mix: pharmacyMix},
	}, corporate()...)
}

func communityUnits() []unitT {
	return append([]unitT{
		{name: "Adult community nursing", w: 2, mix: clinicalMgmt(consultantGeriatr), teams: []unitT{
			{name: "District nursing (north)", w: 7, mix: districtMix},
			{name: "District nursing (south)", w: 7, mix: districtMix},
			{name: "District nursing (east)", w: 6, mix: districtMix},
			{name: "District nursing (west)", w: 6, mix: districtMix, p: 0.7},
			{name: "Urgent community response", w: 5, mix: urgentRespMix},
		}},
		{name: "Children's community services", w: 1, mix: mix{{serviceManager, 1}, {administrator, 2}}, teams: []unitT{
			{name: "Health visiting", w: 8, mix: visitingMix},
			{name: "School nursing", w: 4, mix: schoolMix},
		}},
		{name: "Community hospitals", w: 1, mix: clinicalMgmt(consultantGeriatr), teams: []unitT{
			{name: "Larch ward", w: 6, mix: rehabMix},
			{name: "Poplar ward", w: 6, mix: rehabMix, p: 0.7},
		}},
		{name: "Community therapies", w: 1, mix: mix{{serviceManager, 1}, {administrator, 2}}, teams: []unitT{
			{name: "Community physiotherapy", w: 5, mix: physioMix},
			{name: "Community occupational therapy", w: 4, mix: otMix},
			{name: "Podiatry", w: 3, mix: podiatryMix},
			{name: "Speech and language therapy", w: 2, mix: sltMix},
		}},
	}, corporate()...)
}

func ambulanceUnits() []unitT {
	return append([]unitT{
		{name: "Emergency operations centre", w: 1, mix: mix{{controlManager, 1}, {administrator, 1}}, teams: []unitT{
			{name: "Call handling", w: 10, mix: callMix},
			{name: "Dispatch", w: 5, mix: callMix},
			{name: "Clinical hub", w: 4, mix: clinicalHubMix},
		}},
		{name: "Accident and emergency operations", w: 1, mix: mix{{opsManager, 1}, {administrator, 1}}, teams: []unitT{
			{name: "North division", w: 10, mix: stationMix},
			{name: "South division", w: 10, mix: stationMix},
			{name: "East division", w: 9, mix: stationMix},
			{name: "West division", w: 9, mix: stationMix},
			{name: "Hazardous area response team", w: 2, mix: stationMix, p: 0.6},
		}},
		{name: "NHS 111", w: 8, mix: nhs111Mix},
		{name: "Patient transport service", w: 5, mix: transportMix},
		{name: "Fleet and logistics", w: 3, mix: fleetMix},
	}, corporate()...)
}

func icbUnits() []unitT {
	return []unitT{
		{name: "Strategy and commissioning", w: 1, mix: commissionMix, teams: []unitT{
			{name: "Planned care", w: 3, mix: commissionMix},
			{name: "Urgent and emergency care", w: 3, mix: commissionMix},
			{name: "Primary care", w: 3, mix: icbPrimaryMix},
		}},
		{name: "Nursing and quality", w: 3, mix: icbQualityMix},
		{name: "Digital transformation", w: 3, mix: icbDigitalMix},
		{name: "Population health and analytics", w: 3, mix: icbAnalyticsMix},
		{name: "Finance", w: 3, mix: financeMix},
		{name: "People and culture", w: 2, mix: peopleMix},
	}
}

func gpUnits() []unitT {
	return []unitT{
		{name: "Clinical team", w: 6, mix: gpClinicalMix},
		{name: "Reception and administration", w: 5, mix: gpAdminMix},
		{name: "Dispensary", w: 1, mix: mix{{pharmacyTech, 2}, {pharmacyAssistant, 2}}, p: 0.2},
	}
}

func nursingHomeUnits() []unitT {
	return []unitT{
		{name: "Nursing floor", w: 8, mix: nursingFloorMix},
		{name: "Residential floor", w: 5, mix: careFloorMix, p: 0.6},
		{name: "Dementia unit", w: 5, mix: dementiaMix, p: 0.6},
		{name: "Day care", w: 2, mix: dayCareMix, p: 0.5},
		{name: "Kitchen and housekeeping", w: 3, mix: housekeepingMix},
		{name: "Management and administration", w: 1, mix: careOfficeMix},
	}
}

func residentialHomeUnits() []unitT {
	return []unitT{
		{name: "Residential care", w: 8, mix: careFloorMix},
		{name: "Memory care", w: 4, mix: dementiaMix, p: 0.5},
		{name: "Day care", w: 2, mix: dayCareMix, p: 0.5},
		{name: "Kitchen and housekeeping", w: 3, mix: housekeepingMix},
		{name: "Management and administration", w: 1, mix: careOfficeMix},
	}
}

func homeCareUnits() []unitT {
	return []unitT{
		{name: "Office and care coordination", w: 2, mix: coordinationMix},
		{name: "Home care team (north)", w: 8, mix: homeCareTeamMix},
		{name: "Home care team (south)", w: 8, mix: homeCareTeamMix},
		{name: "Reablement", w: 4, mix: reablementMix, p: 0.5},
		{name: "Live-in care", w: 2, mix: liveInMix, p: 0.4},
		{name: "Complex care", w: 3, mix: complexCareMix, p: 0.4},
	}
}

func localAuthorityUnits() []unitT {
	return []unitT{
		{name: "Adult social care", w: 1, mix: laLeadMix, teams: []unitT{
			{name: "Assessment and care management", w: 8, mix: assessmentMix},
			{name: "Hospital discharge team", w: 4, mix: assessmentMix},
			{name: "Safeguarding adults", w: 3, mix: safeguardingMix},
			{name: "Learning disability team", w: 3, mix: assessmentMix},
			{name: "Mental health social work", w: 3, mix: assessmentMix, p: 0.7},
			{name: "Occupational therapy", w: 3, mix: laOTMix},
		}},
		{name: "Reablement service", w: 8, mix: laReablementMix},
		{name: "Commissioning and brokerage", w: 1, mix: laLeadMix, teams: []unitT{
			{name: "Brokerage", w: 3, mix: brokerageMix},
			{name: "Contracts and quality", w: 2, mix: brokerageMix},
		}},
		{name: "Business support", w: 4, mix: businessMix},
	}
}

func hospiceUnits() []unitT {
	return []unitT{
		{name: "In-patient unit", w: 8, mix: hospiceWardMix},
		{name: "Hospice at home", w: 6, mix: hospiceHomeMix},
		{name: "Day therapy", w: 3, mix: dayTherapyMix},
		{name: "Family support and bereavement", w: 2, mix: familyMix},
		{name: "Education", w: 1, mix: hospiceLearnMix, p: 0.6},
		{name: "Fundraising and retail", w: 3, mix: fundraisingMix},
		{name: "Administration", w: 2, mix: hospiceOfficeMix},
	}
}

// kind is a kind of organisation: its type, how its names are made, how
// many staff it has and how they are organised.
type kind struct {
	typ upskill.OrgType
	// names are patterns for the organisation's name; see orgName.
	names []string
	// staff is the range of the organisation's relative size; sizes are
	// drawn evenly on a log scale between the two.
	staff [2]float64
	units func() []unitT
	// sites are the places an organisation of the kind works from; its
	// departments are spread across them in turn. None for a kind that
	// works from one place.
	sites []string
}

var (
	acuteTrust = kind{upskill.OrgNHSTrust, []string{
		"{P} Hospitals NHS Trust", "{P} and {Q} Hospitals NHS Foundation Trust",
		"{P} University Hospitals NHS Foundation Trust", "{P} Teaching Hospitals NHS Trust",
		"{P} General Hospital NHS Foundation Trust", "{P} Healthcare NHS Trust",
	}, [2]float64{4000, 12000}, acuteUnits, []string{"Main hospital", "Community hospital", "Elective treatment centre"}}
	mentalHealthTrust = kind{upskill.OrgNHSTrust, []string{
		"{P} and {Q} Mental Health NHS Foundation Trust", "{P} Mental Health NHS Trust",
		"{P} Mental Health and Wellbeing NHS Foundation Trust",
	}, [2]float64{2000, 5000}, mentalHealthUnits, []string{"Inpatient unit", "Community mental health centre"}}
	communityTrust = kind{upskill.OrgNHSTrust, []string{
		"{P} Community Health NHS Trust", "{P} and {Q} Community Services NHS Foundation Trust",
	}, [2]float64{1500, 4000}, communityUnits, []string{"Headquarters", "Community clinics"}}
	ambulanceTrust = kind{upskill.OrgNHSTrust, []string{
		"{P} and {Q} Ambulance Service NHS Trust", "{P} Ambulance Service NHS Foundation Trust",
	}, [2]float64{2500, 6000}, ambulanceUnits, []string{"Headquarters and control room", "Ambulance stations"}}
	icb = kind{upskill.OrgICB, []string{
		"NHS {P} and {Q} Integrated Care Board", "NHS {P} Integrated Care Board",
	}, [2]float64{250, 600}, icbUnits, nil}
	gpPractice = kind{upskill.OrgGPPractice, []string{
		"{P} Medical Centre", "{T} Road Surgery", "{P} Health Centre", "The {T} Practice",
		"{P} Family Practice", "{T} Lane Surgery", "{P} Group Practice", "{P} Surgery",
	}, [2]float64{10, 45}, gpUnits, nil}
	nursingHome = kind{upskill.OrgCareHome, []string{
		"{T} Court Nursing Home", "{P} Nursing Home", "{F} House Nursing Home", "{T} Park Care Centre",
	}, [2]float64{40, 110}, nursingHomeUnits, nil}
	residentialHome = kind{upskill.OrgCareHome, []string{
		"{T} House Care Home", "{P} Lodge", "{P} Manor Care Home", "The {T}s Residential Home",
		"{F} View Care Home", "{T} Grange",
	}, [2]float64{20, 60}, residentialHomeUnits, nil}
	homeCare = kind{upskill.OrgHomeCare, []string{
		"{P} Home Care", "{P} Care at Home", "{T} Homecare Services", "{P} Community Care",
		"{F} Support at Home",
	}, [2]float64{20, 150}, homeCareUnits, nil}
	localAuthority = kind{upskill.OrgLocalAuthority, []string{
		"{P} City Council", "{P} County Council", "{P} Borough Council",
		"{P} Metropolitan Borough Council", "{P} District Council",
	}, [2]float64{300, 1500}, localAuthorityUnits, []string{"Civic centre", "Area offices"}}
	hospice = kind{upskill.OrgHospice, []string{
		"{P} Hospice", "{P} and District Hospice", "Hospice of {P}", "{T} Lodge Hospice",
	}, [2]float64{80, 350}, hospiceUnits, nil}
)
