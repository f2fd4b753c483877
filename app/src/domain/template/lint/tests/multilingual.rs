//! The pre-check in languages other than English (issue 22): word counts for scripts written
//! without spaces, mixed-language bodies, and the content rules' phrase files. Each table
//! row names its language; the rows marked "was wrong" failed before the fix.

use super::*;
use crate::domain::template::lint::{phrases, script};

/// A UTILITY template in `lang` whose body is `text` (with an example for each parameter).
fn template(lang: &str, text: &str) -> CreateTemplate {
    let mut t = clean();
    t.language = lang.into();
    let n = scan(text).placeholders.len();
    let examples: Vec<String> = (1..=n).map(|i| format!("x{i}")).collect();
    let refs: Vec<&str> = examples.iter().map(String::as_str).collect();
    body(&mut t, text, &refs);
    t
}

fn findings(lang: &str, text: &str) -> Vec<Finding> {
    lint(&template(lang, text), &ctx())
}

fn has(f: &[Finding], rule: &str) -> bool {
    f.iter().any(|f| f.rule == rule)
}

// ---------------------------------------------------------------- param.too_dense

/// (language, body, flagged). Every realistic sentence with two parameters in a script
/// written without spaces was refused before (its words were counted by spaces).
const DENSITY: &[(&str, &str, bool)] = &[
    (
        "ja",
        "こんにちは、{{1}}様。ご注文番号{{2}}の商品を本日発送いたしました。",
        false,
    ),
    (
        "ja",
        "{{1}}様のご予約{{2}}を承りました。ご来店を心よりお待ちしております。",
        false,
    ),
    ("ja", "注文{{1}}と{{2}}です", true),
    (
        "zh_CN",
        "您好{{1}}，您的订单{{2}}已发货，预计三天内送达。",
        false,
    ),
    ("zh_CN", "订单{{1}}和{{2}}好", true),
    (
        "zh_HK",
        "您好{{1}}，您的訂單{{2}}已經發貨，預計三天內送達。",
        false,
    ),
    ("zh_HK", "訂單{{1}}及{{2}}好", true),
    (
        "zh_TW",
        "親愛的{{1}}您好，您的包裹{{2}}已送達門市，請於七天內取貨。",
        false,
    ),
    ("zh_TW", "包裹{{1}}與{{2}}到", true),
    ("th", "สวัสดีคุณ{{1}} คำสั่งซื้อ{{2}}ของคุณได้จัดส่งแล้วค่ะ", false),
    ("th", "คุณ{{1}}และ{{2}}ค่ะ", true),
    ("lo", "ສະບາຍດີ {{1}} ຄຳສັ່ງຊື້ {{2}} ຂອງທ່ານໄດ້ຖືກສົ່ງແລ້ວ", false),
    ("lo", "ທ່ານ{{1}}ແລະ{{2}}ແລ້ວ", true),
    // Scripts with spaces count words as before.
    (
        "ko",
        "안녕하세요 {{1}}님, 주문하신 {{2}} 상품이 오늘 발송되었습니다.",
        false,
    ),
    ("ko", "고객 {{1}}님 {{2}} 발송", true),
    ("hi", "नमस्ते {{1}}, आपका ऑर्डर {{2}} भेज दिया गया है।", false),
    ("hi", "नमस्ते {{1}} और {{2}} जी", true),
    ("ar", "مرحبا {{1}}، تم شحن طلبك {{2}} وسيصل قريبا.", false),
    (
        "ru",
        "Здравствуйте, {{1}}! Ваш заказ {{2}} отправлен.",
        false,
    ),
    ("en_US", "Hello {{1}}, your order {{2}} has shipped.", false),
    ("en_US", "Hi {{1}} and {{2}} now", true),
];

#[test]
fn parameter_density_counts_words_in_every_script() {
    for (lang, text, flagged) in DENSITY {
        let f = findings(lang, text);
        assert_eq!(
            has(&f, "param.too_dense"),
            *flagged,
            "{lang}: {text}: {f:?}"
        );
    }
}

#[test]
fn spaceless_scripts_count_characters_per_word() {
    for (text, words) in [
        ("ご注文ありがとうございます", 7), // 13 Han/kana characters, 2 a word
        ("WhatsAppで注文", 3),             // one Latin word, 3 characters
        ("您好", 1),
        ("คุณ", 1),               // the vowel mark is not counted: 2 letters
        ("ของคุณได้จัดส่งแล้วค่ะ", 6), // 16 base letters, 3 a word
        ("Hello, world!", 2),
        ("— 12 h", 2),
        ("", 0),
    ] {
        assert_eq!(script::word_count(text), words, "{text}");
    }
}

// ---------------------------------------------------------------- language.mixed

/// (language, body): two languages, so `language.mixed`. None of these was caught before.
const MIXED: &[(&str, &str)] = &[
    // The platform's own example: Hindi selected, a Hindi sentence then an English one.
    ("hi", "नमस्ते {{1}}, आपका ऑर्डर भेज दिया गया है। Thank you for shopping with us."),
    ("hi", "नमस्ते {{1}}, आपका ऑर्डर भेज दिया गया है. Your order will arrive tomorrow."),
    // Mostly English: the whole text reads as English, which must not hide the mix.
    ("hi", "आपका ऑर्डर {{1}} भेज दिया गया है। Thank you for shopping with us, we hope you enjoy your new order and come back soon."),
    ("en_US", "Hello {{1}}, your order has shipped and will arrive tomorrow. Merci pour votre confiance."),
    ("en", "Hello {{1}}, your order has shipped. Vielen Dank für Ihren Einkauf!"),
    ("fr", "Bonjour {{1}}, votre commande a été expédiée et arrivera demain. Thank you for shopping with us."),
    ("fr_CA", "Bonjour {{1}}, votre rendez-vous est confirmé. See you tomorrow at the store!"),
    ("es", "Hola {{1}}, tu pedido ha sido enviado. Obrigado pela sua compra."),
    ("es_MX", "Hola {{1}}, tu pedido ha sido enviado. Thank you for your order."),
    ("pt_BR", "Olá {{1}}, seu pedido foi enviado. Thank you for your order."),
    ("de", "Hallo {{1}}, Ihre Bestellung wurde versandt. Thank you for your order."),
    ("ja", "こんにちは{{1}}様、ご注文ありがとうございます。Your order will arrive tomorrow."),
    ("zh_CN", "您好{{1}}，您的订单已发货。Thank you for your order."),
    ("th", "ขอบคุณที่ใช้บริการค่ะ คุณ{{1}} Thank you for shopping with us"),
    ("ar", "مرحبا {{1}}، تم شحن طلبك. Your order will arrive tomorrow."),
    ("en_US", "Hello {{1}}, your order has shipped. आपका ऑर्डर कल पहुंच जाएगा।"),
];

/// (language, body): one language (with brand names, short English words, links), so no
/// language finding at all.
const ONE_LANGUAGE: &[(&str, &str)] = &[
    ("en_US", "Hello {{1}}, your order {{2}} has shipped and will arrive tomorrow. Thank you for shopping with us!"),
    ("en_GB", "Hi {{1}}, your Samsung Galaxy S24 Ultra is ready for pickup at La Maison du Café. See you soon!"),
    ("en", "Track your order {{1}} at https://shop.example.com/suivi/commande or www.exemple.fr today."),
    ("fr", "Bonjour {{1}}, votre commande {{2}} a été expédiée et arrivera demain. Merci de votre confiance et à bientôt !"),
    ("fr", "Bonjour {{1}}, votre compte WhatsApp Business est prêt. Répondez OK pour confirmer."),
    ("fr", "Suivez votre colis {{1}} sur https://shop.example.com/track/order-status dès aujourd’hui."),
    ("es", "Hola {{1}}, tu pedido {{2}} ha sido enviado y llegará mañana. ¡Gracias por tu compra!"),
    ("es_ES", "Su cita está confirmada para el lunes {{1}} a las {{2}}. Si necesita cambiarla, responda a este mensaje."),
    ("pt_BR", "Olá {{1}}, seu pedido {{2}} foi enviado e chegará amanhã. Obrigado pela sua compra!"),
    ("pt_PT", "Olá {{1}}, a sua encomenda {{2}} já foi expedida. Obrigado pela preferência."),
    ("de", "Hallo {{1}}, Ihre Bestellung {{2}} wurde versandt und kommt morgen an. Vielen Dank für Ihren Einkauf!"),
    ("de_AT", "Hallo {{1}}, Ihr neues iPhone 15 Pro ist abholbereit. Bei Fragen antworten Sie einfach auf diese Nachricht."),
    ("hi", "नमस्ते {{1}}, आपका ऑर्डर {{2}} भेज दिया गया है। यह कल तक पहुंच जाएगा। धन्यवाद!"),
    ("hi", "नमस्ते {{1}}, आपका WhatsApp Business खाता तैयार है। OK लिखकर पुष्टि करें।"),
    ("hi", "नमस्ते {{1}}, आपका नया Samsung Galaxy S24 Ultra अब उपलब्ध है।"),
    ("hi", "अपना ऑर्डर {{1}} यहां देखें: https://shop.example.com/track/order/status धन्यवाद।"),
    ("ja", "こんにちは{{1}}様。ご注文番号{{2}}の商品を本日発送いたしました。お届けまで今しばらくお待ちください。"),
    ("ja", "ご予約ありがとうございます、{{1}}様。新しいiPhone 15 Proは明日入荷します。"),
    ("zh_CN", "您好{{1}}，您的订单{{2}}已发货，预计三天内送达。感谢您的惠顾！"),
    ("th", "สวัสดีคุณ{{1}} คำสั่งซื้อ{{2}}ของคุณได้จัดส่งแล้วค่ะ ขอบคุณที่ใช้บริการ"),
];

#[test]
fn sentences_in_two_languages_are_mixed() {
    for (lang, text) in MIXED {
        let f = findings(lang, text);
        assert!(has(&f, "language.mixed"), "{lang}: {text}: {f:?}");
    }
}

#[test]
fn one_language_with_brands_and_links_is_not_mixed() {
    for (lang, text) in ONE_LANGUAGE {
        let f: Vec<Finding> = findings(lang, text)
            .into_iter()
            .filter(|f| f.rule.starts_with("language."))
            .collect();
        assert_eq!(f, vec![], "{lang}: {text}");
    }
}

#[test]
fn mixed_names_both_languages_in_order() {
    let f = findings("hi", MIXED[0].1);
    let mixed = f
        .iter()
        .find(|f| f.rule == "language.mixed")
        .map(|f| f.args.clone());
    assert_eq!(mixed, Some(vec!["Hindi".to_owned(), "English".to_owned()]));
    let f = findings("en_US", MIXED[3].1);
    let mixed = f
        .iter()
        .find(|f| f.rule == "language.mixed")
        .map(|f| f.args.clone());
    assert_eq!(mixed, Some(vec!["English".to_owned(), "French".to_owned()]));
}

#[test]
fn a_whole_text_in_another_language_is_a_mismatch_not_a_mix() {
    let f = findings("en_US", "Bonjour {{1}}, votre commande a été expédiée et arrivera bientôt chez vous. Merci de votre confiance.");
    assert!(
        has(&f, "language.mismatch") && !has(&f, "language.mixed"),
        "{f:?}"
    );
}

// ---------------------------------------------------------------- content rules

/// (language, body, the phrase reported). Rows marked "was wrong" were missed before.
const SENSITIVE: &[(&str, &str, &str)] = &[
    ("en", "Hello {{1}}, please reply with your full card number to confirm the order.", "full card number"),
    ("en", "Hi {{1}}, to keep your account active please reply with your password today.", "password"), // was wrong
    ("en", "Hi {{1}}, please share the verification code we just sent you with our agent.", "verification code"), // was wrong
    ("en", "Hi {{1}}, to finish your booking send us a photo of your passport today.", "passport"), // was wrong
    ("en", "Hi {{1}}, we need your social security number to open the account.", "social security number"),
    ("en", "Hi {{1}}, for your refund please reply with your IBAN.", "iban"),
    ("fr", "Bonjour {{1}}, merci de nous communiquer le numéro de votre carte pour valider la commande.", "numéro de votre carte"), // was wrong
    ("fr", "Bonjour {{1}}, envoyez-nous votre mot de passe pour réactiver votre compte.", "mot de passe"), // was wrong
    ("fr", "Bonjour {{1}}, merci de nous envoyer une photo de votre carte d’identité.", "carte d'identité"), // was wrong
    ("fr", "Bonjour {{1}}, indiquez votre numéro de sécurité sociale pour le remboursement.", "numéro de sécurité sociale"),
    ("fr", "Bonjour {{1}}, pour le remboursement, transmettez-nous votre RIB.", "votre rib"), // was wrong
    ("es", "Hola {{1}}, envíanos el número de tu tarjeta para confirmar el pago.", "número de tu tarjeta"), // was wrong
    ("es", "Hola {{1}}, responde con tu contraseña para verificar tu cuenta.", "contraseña"), // was wrong
    ("es", "Hola {{1}}, envíanos una foto de tu DNI por ambos lados.", "dni"), // was wrong
    ("es", "Hola {{1}}, necesitamos tu número de NIE para la factura.", "número de nie"), // was wrong
    ("es", "Hola {{1}}, envianos tu contrasena por este chat.", "contraseña"), // was wrong: typed without accents
    ("pt", "Olá {{1}}, informe seu CPF para emitirmos a nota fiscal.", "cpf"),
    ("pt", "Olá {{1}}, envie sua senha para liberarmos o acesso.", "senha"), // was wrong
    ("pt", "Olá {{1}}, mande o número do seu cartão para concluir a compra.", "número do seu cartão"), // was wrong
    ("pt", "Olá {{1}}, nos envie uma foto do seu RG ou da sua CNH.", "rg"), // was wrong
    ("de", "Hallo {{1}}, bitte senden Sie uns eine Kopie Ihres Personalausweises.", "personalausweises"), // was wrong
    ("de", "Hallo {{1}}, bitte teilen Sie uns Ihre Steuer-ID mit.", "steuer-id"), // was wrong
    ("de", "Hallo {{1}}, antworten Sie mit Ihrer PIN, um die Zahlung freizugeben.", "pin"), // was wrong
    ("de", "Hallo {{1}}, bitte nennen Sie uns Ihre Kartenprüfnummer.", "kartenprüfnummer"), // was wrong
    ("de", "Hallo {{1}}, für die Erstattung benötigen wir Ihre IBAN.", "iban"),
];

/// (language, body): sending a code, warning against sharing one, naming part of a number or
/// a document to bring is not asking for a sensitive identifier.
const NOT_SENSITIVE: &[(&str, &str)] = &[
    (
        "en",
        "Your verification code is {{1}}. Do not share it with anyone.",
    ),
    (
        "en",
        "Hi {{1}}, we will never ask for your password or PIN.",
    ),
    (
        "en",
        "Hi {{1}}, never share your CVV with anyone, even with us.",
    ), // was flagged
    (
        "en",
        "Hi {{1}}, your card number ending in 4242 was charged today.",
    ), // was flagged
    (
        "en",
        "Hi {{1}}, please bring your passport to the check-in desk.",
    ),
    ("en", "Hi {{1}}, your new PIN has been sent to you by post."),
    (
        "fr",
        "Votre code de vérification est {{1}}. Ne le partagez avec personne.",
    ),
    (
        "fr",
        "Bonjour {{1}}, pensez à apporter votre pièce d’identité au rendez-vous.",
    ),
    (
        "fr",
        "Bonjour {{1}}, le paiement avec la carte se terminant par 4242 est confirmé.",
    ),
    (
        "es",
        "Tu código de verificación es {{1}}. No lo compartas con nadie.",
    ),
    (
        "es",
        "Hola {{1}}, el número de tarjeta terminada en 4242 fue actualizado.",
    ), // was flagged
    (
        "pt",
        "Seu código de verificação é {{1}}. Não compartilhe com ninguém.",
    ),
    (
        "pt",
        "Olá {{1}}, o número do cartão com final 4242 foi atualizado.",
    ), // was flagged
    (
        "de",
        "Ihr Bestätigungscode lautet {{1}}. Geben Sie ihn niemals weiter.",
    ),
    (
        "de",
        "Hallo {{1}}, bitte bringen Sie Ihren Personalausweis zum Termin mit.",
    ),
];

#[test]
fn requests_for_sensitive_identifiers_are_errors_in_every_language() {
    for (lang, text, phrase) in SENSITIVE {
        let f = findings(lang, text);
        let found = f.iter().find(|f| f.rule == "content.sensitive_identifier");
        assert_eq!(
            found.map(|f| (f.severity, f.args.clone())),
            Some((Severity::Error, vec![(*phrase).to_owned()])),
            "{lang}: {text}"
        );
    }
}

#[test]
fn sending_codes_and_warnings_are_not_requests() {
    for (lang, text) in NOT_SENSITIVE {
        let f = findings(lang, text);
        assert!(
            !has(&f, "content.sensitive_identifier"),
            "{lang}: {text}: {f:?}"
        );
    }
}

#[test]
fn the_span_is_the_phrase_in_the_original_text() {
    let text = "Hola {{1}}, envíanos tu CONTRASEÑA hoy.";
    let f = findings("es", text);
    let span = f
        .iter()
        .find(|f| f.rule == "content.sensitive_identifier")
        .and_then(|f| f.span);
    let shown = span.map(|(a, b)| text.chars().skip(a).take(b - a).collect::<String>());
    assert_eq!(shown.as_deref(), Some("CONTRASEÑA"));
    // Accents typed as combining characters.
    let text = "Bonjour {{1}}, envoyez-nous votre numéro de se\u{301}curite\u{301} sociale.";
    let f = findings("fr", text);
    let span = f
        .iter()
        .find(|f| f.rule == "content.sensitive_identifier")
        .and_then(|f| f.span);
    let shown = span.map(|(a, b)| text.chars().skip(a).take(b - a).collect::<String>());
    assert_eq!(
        shown.as_deref(),
        Some("numéro de se\u{301}curite\u{301} sociale")
    );
}

/// (language, body, the word reported). Only English words were seen before.
const MARKETING: &[(&str, &str, Option<&str>)] = &[
    (
        "en",
        "Hello {{1}}, enjoy a discount on your next order with us this week.",
        Some("discount"),
    ),
    (
        "en",
        "Hello {{1}}, enjoy 20% off your next order with us this week.",
        Some("% off"),
    ), // was wrong
    (
        "fr",
        "Bonjour {{1}}, profitez de notre réduction sur votre prochaine commande.",
        Some("réduction"),
    ),
    (
        "fr",
        "Bonjour {{1}}, decouvrez notre nouvelle collection des maintenant.",
        Some("nouvelle collection"),
    ), // was wrong
    (
        "fr",
        "Bonjour {{1}}, une REDUCTION exceptionnelle vous attend.",
        Some("réduction"),
    ), // was wrong: no accent
    (
        "es",
        "Hola {{1}}, aprovecha nuestras rebajas en tu próximo pedido.",
        Some("rebajas"),
    ), // was wrong
    (
        "pt",
        "Olá {{1}}, aproveite o desconto na sua próxima compra.",
        Some("desconto"),
    ), // was wrong
    (
        "pt",
        "Olá {{1}}, use seu cupom na próxima compra.",
        Some("cupom"),
    ), // was wrong
    (
        "de",
        "Hallo {{1}}, nutzen Sie unseren Rabatt auf Ihre nächste Bestellung.",
        Some("rabatt"),
    ), // was wrong
    (
        "de",
        "Hallo {{1}}, entdecken Sie jetzt Heiße Preise in unserem Laden.",
        Some("heiße preise"),
    ), // was wrong
    (
        "de",
        "Hallo {{1}}, Ihre Bestellung ist unterwegs und kommt morgen an.",
        None,
    ),
    (
        "pt",
        "Olá {{1}}, seu pedido foi enviado e chega amanhã.",
        None,
    ),
];

#[test]
fn marketing_words_are_seen_in_every_language() {
    for (lang, text, word) in MARKETING {
        let f = findings(lang, text);
        let found = f
            .iter()
            .find(|f| f.rule == "category.likely_marketing")
            .map(|f| f.args.clone());
        assert_eq!(found, word.map(|w| vec![w.to_owned()]), "{lang}: {text}");
    }
}

// ---------------------------------------------------------------- phrase files

#[test]
fn every_phrase_file_parses_and_has_every_section() {
    let langs: Vec<&str> = phrases::FILES.iter().map(|(l, _)| *l).collect();
    assert_eq!(langs, ["en", "fr", "es", "pt", "de"]);
    for (lang, src) in phrases::FILES {
        let (table, errors) = phrases::parse(lang, src);
        assert_eq!(errors, Vec::<String>::new(), "{lang}.txt");
        for section in phrases::Section::ALL {
            let list = table.get(*section);
            assert!(!list.is_empty(), "{lang}.txt has no [{}]", section.name());
            for p in list {
                assert_eq!(
                    p.text,
                    p.text.trim().to_lowercase(),
                    "{lang}.txt [{}]",
                    section.name()
                );
                assert!(!p.folded.is_empty());
            }
        }
    }
}

#[test]
fn a_malformed_phrase_file_is_refused() {
    let (_, errors) = phrases::parse(
        "xx",
        "# ok\nstray\n[cards]\n[card]\nCard Number\n  padded\n[card]\n",
    );
    // stray line, unknown section, upper case, spaces, [card] twice, then the 9 other sections missing
    assert_eq!(
        errors.len(),
        5 + phrases::Section::ALL.len() - 1,
        "{errors:?}"
    );
}

/// Each phrase works on its own, written with capitals: an identifier named, a document or
/// secret after its language's first `[ask]` phrase, a marketing word in a utility template.
/// This catches a phrase that another list cancels (a `[not_a_request]` word inside it).
#[test]
fn every_phrase_matches_in_a_sentence() {
    let title = |s: &str| {
        s.split(' ')
            .map(|w| {
                w.chars()
                    .enumerate()
                    .map(|(i, c)| {
                        if i == 0 {
                            c.to_uppercase().next().unwrap_or(c)
                        } else {
                            c
                        }
                    })
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    for table in phrases::tables() {
        let ask = table
            .get(phrases::Section::Ask)
            .first()
            .map(|p| p.text.clone())
            .unwrap_or_default();
        let cases = [
            (phrases::Section::Card, String::new()),
            (phrases::Section::BankAccount, String::new()),
            (phrases::Section::IdNumber, String::new()),
            (phrases::Section::IdDocument, ask.clone()),
            (phrases::Section::Secret, ask.clone()),
        ];
        for (section, before) in cases {
            for p in table.get(section) {
                let text = format!("Xyz {{{{1}}}}: {before} {} 123.", title(&p.text));
                let f = findings(table.lang, &text);
                assert!(
                    has(&f, "content.sensitive_identifier"),
                    "{}.txt [{}] “{}”: {text}",
                    table.lang,
                    section.name(),
                    p.text
                );
            }
        }
        for p in table.get(phrases::Section::Marketing) {
            let text = format!("Xyz {{{{1}}}}: {} 123.", title(&p.text));
            assert!(
                has(&findings(table.lang, &text), "category.likely_marketing"),
                "{}.txt [marketing] “{}”",
                table.lang,
                p.text
            );
        }
    }
}

#[test]
fn folding_ignores_case_and_accents_and_keeps_offsets() {
    assert_eq!(phrases::fold("Numéro de CARTE").text, "numero de carte");
    assert_eq!(phrases::fold("HEIẞE Preise").text, "heiße preise");
    assert_eq!(
        phrases::fold("Cartão  Prüfziffer\u{a0}façade").text,
        "cartao prufziffer facade"
    );
    let f = phrases::fold("ne\u{301} ok");
    assert_eq!(f.text, "ne ok");
    assert_eq!(f.span(3, 5), (4, 6));
}
