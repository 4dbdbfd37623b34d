"""Fixed notices the gateway sends itself, without asking the bot, in each language form."""

from __future__ import annotations

from bot.language.forms import DEFAULT_FORM, localise_digits

NOTICES = {
    "empty": {
        "en": "Please write your question as text, for example: how much should I pay to go to Saudi Arabia?",
        "bn": "অনুগ্রহ করে প্রশ্নটি লিখে পাঠান, যেমন: সৌদি যেতে কত টাকা লাগে?",
        "bn_latn": "Apnar proshno likhe pathan, jemon: saudi jete koto taka lage?",
    },
    "service_down": {
        "en": "Sorry, we cannot answer right now. Your message is saved and we will reply soon.",
        "bn": "দুঃখিত, এখন উত্তর দিতে পারছি না। আপনার বার্তা সংরক্ষিত আছে, শিগগিরই উত্তর দেব।",
        "bn_latn": "Dukkhito, ekhon uttor dite parchi na. Apnar message save ache, shigghiri uttor debo.",
    },
    "language_set": {
        "en": "OK, I will answer in English. Reply MENU for topics.",
        "bn": "ঠিক আছে, এখন থেকে বাংলায় উত্তর দেব। বিষয়গুলো দেখতে MENU লিখুন।",
        "bn_latn": "Thik ache, ekhon theke Bangla (English okkhore) uttor debo. Topic dekhte MENU likhun.",
    },
    "stopped": {
        "en": "You will get no more messages from us. Reply START to use the service again.",
        "bn": "আপনাকে আর কোনো বার্তা পাঠানো হবে না। আবার সেবা পেতে START লিখুন।",
        "bn_latn": "Apnake ar kono message pathano hobe na. Abar seba pete START likhun.",
    },
    "started": {
        "en": "Welcome back. Ask your question, or reply MENU for topics.",
        "bn": "আবার স্বাগতম। আপনার প্রশ্ন লিখুন, বা বিষয়গুলো দেখতে MENU লিখুন।",
        "bn_latn": "Abar shagotom. Apnar proshno likhun, ba topic dekhte MENU likhun.",
    },
    "help": {
        "en": "Free, confidential safe-migration advice. Ask a question or reply MENU. Hotline {hotline_number}, "
        "emergency {emergency_number}. Reply STOP to stop messages.",
        "bn": "বিনামূল্যে, গোপনীয় নিরাপদ অভিবাসন পরামর্শ। প্রশ্ন বা MENU লিখুন। হটলাইন {hotline_number}, "
        "জরুরি {emergency_number}। বার্তা বন্ধ করতে STOP লিখুন।",
        "bn_latn": "Free o gopon nirapod obhibashon poramorsho. Proshno ba MENU likhun. Hotline {hotline_number}, "
        "joruri {emergency_number}. Message bondho korte STOP likhun.",
    },
    "media_only": {
        "en": "I can read text only. Please write your question in words.",
        "bn": "আমি শুধু লেখা পড়তে পারি। অনুগ্রহ করে প্রশ্নটি লিখে পাঠান।",
        "bn_latn": "Ami shudhu lekha porte pari. Doya kore proshno ta likhe pathan.",
    },
    "database_down": {
        "en": "Sorry, our service has a problem and could not save your message. Please send it again later.",
        "bn": "দুঃখিত, আমাদের সেবায় সমস্যা হয়েছে, বার্তাটি সংরক্ষণ করা যায়নি। পরে আবার পাঠান।",
        "bn_latn": "Dukkhito, amader sebay shomossha hoyeche, message ta save kora jayni. Pore abar pathan.",
    },
    "delete_confirm": {
        "en": "Reply YES to erase all your messages and details from this service. Any other reply keeps them.",
        "bn": "এই সেবা থেকে আপনার সব বার্তা ও তথ্য মুছে ফেলতে YES লিখুন। অন্য কিছু লিখলে কিছুই মোছা হবে না।",
        "bn_latn": "Ei seba theke apnar shob message o tottho muchte YES likhun. Onno kichu likhle kichu muchbe na.",
    },
    "deleted": {
        "en": "Done: your messages and details are erased. You can write again any time.",
        "bn": "আপনার সব বার্তা ও তথ্য মুছে ফেলা হয়েছে। যেকোনো সময় আবার লিখতে পারেন।",
        "bn_latn": "Apnar shob message o tottho muche fela hoyeche. Jekono shomoy abar likhte paren.",
    },
    "too_fast": {
        "en": "You are sending many messages quickly. Please wait a minute, then send one question.",
        "bn": "আপনি খুব দ্রুত অনেক বার্তা পাঠাচ্ছেন। এক মিনিট অপেক্ষা করে একটি প্রশ্ন পাঠান।",
        "bn_latn": "Apni khub druto onek message pathachhen. Ek minit opekkha kore ekti proshno pathan.",
    },
    "gave_up": {
        "en": "Sorry, we could not answer your message. Please call the hotline {hotline_number}; in danger call "
        "{emergency_number}.",
        "bn": "দুঃখিত, আপনার বার্তার উত্তর দিতে পারিনি। হটলাইনে ফোন করুন {hotline_number}; বিপদে {emergency_number}।",
        "bn_latn": "Dukkhito, apnar message er uttor dite parini. Hotline e phone korun {hotline_number}; bipode "
        "{emergency_number}.",
    },
    "case_urgent": {
        "en": "We have told a counsellor this is urgent. If you are in danger now, call {emergency_number}.",
        "bn": "আমরা কাউন্সেলরকে জানিয়েছি এটি জরুরি। এখন বিপদে থাকলে {emergency_number} নম্বরে ফোন করুন।",
        "bn_latn": "Counsellor ke janiyechi eta joruri. Ekhon bipode thakle {emergency_number} number-e phone korun.",
    },
    "danger_confirm": {
        "en": "Is this happening to you or someone now? Reply 1 yes, 2 no.",
        "bn": "এটা কি এখন আপনার বা কারো সাথে ঘটছে? উত্তর দিন: ১ হ্যাঁ, ২ না।",
        "bn_latn": "Eta ki ekhon apnar ba karo sathe ghotche? Uttor din: 1 ha, 2 na.",
    },
    "not_urgent": {
        "en": "Thank you. Ask any question or reply MENU. If it ever happens, write here or call {hotline_number}.",
        "bn": "ধন্যবাদ। যেকোনো প্রশ্ন বা MENU লিখুন। কখনো এমন হলে এখানে লিখুন বা {hotline_number}-এ ফোন করুন।",
        "bn_latn": "Dhonnobad. Je kono proshno ba MENU likhun. Kokhono emon hole ekhane likhun ba {hotline_number} e "
        "phone korun.",
    },
    "case_withdrawn": {
        "en": "OK, we have closed the alert. Ask any question or reply MENU. If you need help, call {hotline_number}.",
        "bn": "ঠিক আছে, সতর্কতা বন্ধ করেছি। যেকোনো প্রশ্ন বা MENU লিখুন। সাহায্য লাগলে {hotline_number}-এ ফোন করুন।",
        "bn_latn": "Thik ache, alert bondho korechi. Je kono proshno ba MENU likhun. Sahajjo lagle {hotline_number} e "
        "phone korun.",
    },
    "bot_back": {
        "en": "The counsellor has closed this chat. The automatic service answers again: ask a question or reply MENU.",
        "bn": "কাউন্সেলর এই কথোপকথন শেষ করেছেন। এখন আবার স্বয়ংক্রিয় সেবা উত্তর দেবে: প্রশ্ন বা MENU লিখুন।",
        "bn_latn": "Counsellor ei alap shesh korechen. Ekhon abar automatic seba uttor debe: proshno ba MENU likhun.",
    },
    # The approved WhatsApp template (TWILIO_WHATSAPP_TEMPLATE_SID) says this; stored as what the person was sent.
    "counsellor_replied": {
        "en": "A counsellor has replied to you. Reply to this message to read it.",
        "bn": "একজন কাউন্সেলর আপনাকে উত্তর দিয়েছেন। উত্তরটি পড়তে এই বার্তার জবাব দিন।",
        "bn_latn": "Ekjon counsellor apnake uttor diyechen. Uttor ti porte ei message er jobab din.",
    },
}


def notice(key: str, form: str, **values: str) -> str:
    """The notice in the given language form (English when the form is unknown), placeholders filled.

    The numbers filled in come from the settings in Latin digits; the notice writes them the way its form does.
    """
    texts = NOTICES[key]
    known = form if form in texts else DEFAULT_FORM
    return localise_digits(texts[known].format(**values), known)
