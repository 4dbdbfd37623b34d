"""Fixed notices the gateway sends itself, without asking the bot, in each language form."""

from __future__ import annotations

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
}


def notice(key: str, form: str) -> str:
    """The notice in the given language form (English when the form is unknown)."""
    texts = NOTICES[key]
    return texts.get(form, texts["en"])
