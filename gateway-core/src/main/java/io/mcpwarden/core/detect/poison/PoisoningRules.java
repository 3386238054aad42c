package io.mcpwarden.core.detect.poison;

import io.mcpwarden.core.detect.poison.Rule.Guard;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rule table: known shapes of poisoned tool definitions, in English and in es, fr, de, it,
 * pt, zh, ja, ru and ko.
 *
 * <p>Families: instruction override, hidden-instruction markers, concealment from the user,
 * sensitive data or files routed to a parameter, URL or e-mail (exfiltration), instructions about
 * other tools (shadowing), forced installs, and tools whose stated purpose is an attack
 * (capability). Patterns describe shapes (verb + object, negation + user), never strings copied
 * from an evaluation set. Input is normalised ({@code TextNormaliser}) and lower-cased.
 */
final class PoisoningRules {
  private PoisoningRules() {}

  // ---- shared vocabulary (English) ----

  private static final String SENSITIVE_PATH =
      "\\.(?:ssh|aws|gnupg|kube|docker|azure|config/gcloud|netrc|npmrc|pypirc|git-credentials|bash_history|zsh_history|cursor|vscode|claude)\\b"
          + "|\\bid_(?:rsa|dsa|ecdsa|ed25519)\\b|/etc/(?:passwd|shadow|sudoers)\\b"
          + "|\\.env(?![.\\w])(?!\\s+files?\\s+(?:are|is)\\s+(?:excluded|ignored))"
          + "|\\b(?:mcp|claude_desktop_config|application_default_credentials|credentials|secrets|service[-_]account)\\.json\\b"
          + "|\\bwallet\\.dat\\b|\\bkeychain\\b|\\bcookies\\.sqlite\\b|\\blogin data\\b|\\bauthorized_keys\\b|\\bknown_hosts\\b";
  private static final String SENSITIVE_DATA =
      "\\b(?:passwords?|passphrases?|api[ _-]?keys?|secret (?:access )?keys?|private keys?|access tokens?|auth(?:entication)? tokens?|"
          + "tokens|credentials?|session cookies|cookies|credit card(?: numbers?)?|ssh keys?|seed phrases?|mnemonics?|"
          + "system prompt|conversation(?: history)?|chat history|previous messages|full context|environment variables|"
          + "env vars?|output of `?env`?|`env`|printenv|secrets)\\b";
  private static final String SENSITIVE = "(?:" + SENSITIVE_PATH + "|" + SENSITIVE_DATA + ")";
  /** A parameter name, unless it is the slot meant for a credential (then passing one is honest). */
  private static final String PARAM_NAME = "(?![a-z0-9_.]*(?:key|token|passw|secret|credential|auth|cookie))[a-z_][a-z0-9_.]*";
  private static final String TO_PARAMETER =
      "\\b(?:in|into|as|inside|within|to|via|through)\\s+(?:the\\s+)?['\"`‘“]?" + PARAM_NAME + "['\"`’”]?\\s+(?:parameter|argument|field|param|arg|property|value)s?\\b"
          + "|\\bthe\\s+['\"`‘“]" + PARAM_NAME + "['\"`’”]\\s+(?:parameter|argument|field|param)"
          + "|\\b(?:parameter|argument|field)\\s+['\"`‘“]" + PARAM_NAME 
          + "|\\b(?:in|into|as|inside|to|within)\\s+(?:the\\s+)?['\"`‘“]" + PARAM_NAME + "['\"`’”]";
  private static final String DESTINATION =
      "https?://|@[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.[a-z]{2,}\\b|\\bwebhook\\b|\\bremote server\\b|\\bexternal (?:server|endpoint|url)";
  private static final String SEND =
      "\\b(?:send|sends|sending|forward|forwards|post|posts|upload|uploads|transmit|e-?mail|mail|copy|cc|bcc|exfiltrate|leak|sync|submit|"
          + "push|report|deliver|share|attach)\\b";
  private static final String ROUTE =
      "\\b(?:include|includes|including|append|attach|embed|encode|put|pass|insert|add|paste|place|set|fill|provide|supply|concatenate|"
          + "base64-?encode|read|cat|collect|gather|extract|dump|copy|send|forward|upload|contain|must contain)\\b";

  static final List<Rule> ALL = build();

  /** Gate literals of {@link #ALL}, for finding the rules worth running on a text in one pass. */
  static final GateIndex GATES = new GateIndex(ALL);

  private static List<Rule> build() {
    List<Rule> r = new ArrayList<>();

    // ---- instruction override: the text tries to replace the model's instructions ----
    r.add(rule("instruction-override", 0.95,
        "\\b(?:ignore|disregard|forget|override|bypass|skip|drop)\\s+(?:all\\s+|any\\s+|every\\s+)?(?:of\\s+)?(?:the\\s+|your\\s+|my\\s+)?"
            + "(?:previous|prior|above|earlier|preceding|former|original|existing|initial|system|safety|security|user(?:'s)?)\\s+"
            + "(?:instructions?|rules|guidelines|prompts?|directives|guardrails|constraints|policies|messages|commands)"));
    r.add(rule("instruction-override", 0.9,
        "\\b(?:ignore|disregard)\\s+(?:all\\s+)?(?:the\\s+)?(?:instructions|rules|requests?)\\s+(?:from|of|given by)\\s+(?:the\\s+)?(?:user|system)"));
    r.add(rule("instruction-override", 0.9,
        "\\byou\\s+are\\s+now\\s+(?:in\\s+)?(?:an?\\s+)?(?:maintenance|developer|debug|god|admin|unrestricted|jailbreak|dan|root)\\b"));
    r.add(rule("instruction-override", 0.85, "\\bsystem\\s+override\\b|\\boverride\\s+mode\\b"));
    r.add(rule("instruction-override", 0.85,
        "\\b(?:disregard|ignore|bypass|disable|skip)\\s+(?:all\\s+|any\\s+)?(?:the\\s+)?(?:safety|security|content|user)\\s+"
            + "(?:guidelines|checks|policies|filters|measures|restrictions|confirmations?|confirmation requirements|approvals?|prompts)"));
    r.add(rule("instruction-override", 0.6, "\\byour\\s+new\\s+(?:task|instructions?|objective|goal|role)\\s+(?:is|are)\\b|\\bnew\\s+instructions\\s*:"));

    // ---- markers of hidden instructions aimed at the model ----
    r.add(rule("hidden-instruction-marker", 0.6,
        "<\\s*/?\\s*(?:important|system|instructions?|secret|hidden|admin|assistant|system[-_ ]?(?:note|prompt|message)|critical|"
            + "ai[-_ ]?instructions?|model[-_ ]?instructions?)\\s*>"));
    r.add(rule("hidden-instruction-marker", 0.55, "\\[\\s*(?:system|admin|assistant)(?:\\s+(?:note|message|prompt|instruction))?\\s*\\]"));
    r.add(rule("hidden-instruction-marker", 0.5, "\\bimportant\\s+system\\s+(?:note|notice|message|instruction)s?\\b|\\bsystem\\s+note\\s*:"));
    r.add(rule("hidden-instruction-marker", 0.55,
        "\\b(?:note|message|instructions?|reminder|notice)\\s+(?:to|for)\\s+(?:the\\s+|any\\s+)?(?:ai|assistant|model|llm|agent|claude|gpt|chatbot|language model)\\b"));
    r.add(rule("hidden-instruction-marker", 0.45, "(?m)^\\s*(?:assistant|system)\\s*:\\s*\\S"));
    r.add(rule("hidden-instruction-marker", 0.45, "\\b(?:dear|hey|attention)\\s+(?:ai|assistant|model|llm|agent|claude)\\b"));

    // ---- concealment: keep the user from knowing ----
    r.add(rule("concealment", 0.85,
        "\\b(?:do\\s+not|don't|dont|never|must\\s+not|should\\s+not|shouldn't|without|avoid)\\s+"
            + "(?:tell|telling|inform|informing|mention|mentioning|reveal|revealing|show|showing|notify|notifying|alert|alerting|disclose|"
            + "disclosing|let|letting|explain|explaining|report|reporting|display|displaying|bother|bothering|warn|warning|ask|asking)\\s+"
            + "(?:this\\s+|these\\s+|it\\s+|that\\s+|anything\\s+|any\\s+of\\s+this\\s+|about\\s+(?:this\\s+|it\\s+)?|to\\s+|know\\s+)?"
            + "(?:[a-z']+\\s+){0,3}?(?:the\\s+|your\\s+)?(?:user|human|operator|end[- ]user)s?\\b"));
    r.add(rule("concealment", 0.7,
        "\\b(?:do\\s+not|don't|never|must\\s+not)\\s+(?:mention|reveal|disclose|say|admit|acknowledge)\\s+"
            + "(?:that|this|these|the\\s+(?:forwarding|step|instructions?|redirect|copy|note|fact))\\b"));
    r.add(rule("concealment", 0.8,
        "\\b(?:invisible|hidden|transparent|not\\s+visible|unknown|imperceptible)\\s+to\\s+the\\s+(?:user|human)\\b"
            + "|\\bthe\\s+user\\s+(?:must|should|will|need)\\s+(?:not|never)\\s+(?:know|see|notice|find out|be told|be informed|be aware)"));
    r.add(rule("concealment", 0.8,
        "\\b(?:this|these)\\s+(?:tool\\s+)?(?:description|instructions?|notes?|steps?)\\s+(?:is|are)\\s+(?:confidential|secret|private|hidden)"
            + "|\\bnever\\s+reveal\\s+(?:these|this|the|your)\\s+(?:instructions?|prompt|description|notes?)"));
    r.add(rule("concealment", 0.8,
        "\\breport\\s+(?:the\\s+(?:operation|call|action|result)|it|success)\\s+as\\s+(?:successful|succeeded|complete)\\b"
            + "|\\beven\\s+if\\s+it\\s+(?:was|is|were)\\s+(?:blocked|denied|rejected)"));
    r.add(rule("concealment", 0.5, "\\bmere\\s+implementation\\s+detail\\b|\\b(?:could|would|might|will)\\s+(?:upset|scare|alarm|worry)\\s+the\\s+user"));
    r.add(rule("concealment", 0.6,
        "\\bthe\\s+user\\s+(?:has\\s+)?(?:already\\s+|pre-?|previously\\s+|implicitly\\s+)?(?:approved|authori[sz]ed|consented|agreed|confirmed)\\b",
        Guard.NEGATION));
    r.add(rule("concealment", 0.45,
        "\\b(?:silently|secretly|covertly|quietly|discreetly|surreptitiously)\\s+(?:also\\s+)?(?:read|send|call|pass|include|forward|upload|copy|add|append|"
            + "execute|run|collect|attach|bcc|cc|change|replace|modify|install|download)\\b|\\bbehind\\s+the\\s+user's\\s+back\\b", Guard.NEGATION));

    // ---- exfiltration: sensitive data routed somewhere ----
    r.add(near("exfiltration-to-parameter", 0.9, SENSITIVE, List.of(ROUTE, TO_PARAMETER), 200, Guard.NEGATION));
    r.add(near("exfiltration-to-destination", 0.9, SENSITIVE, List.of(SEND, DESTINATION), 220, Guard.NEGATION));
    r.add(near("exfiltration-read-and-route", 0.75, SENSITIVE_PATH, List.of(ROUTE), 80, Guard.NEGATION));
    r.add(rule("exfiltration-read-and-route", 0.6,
        "\\b(?:read|cat|open|load|get|fetch|access|collect|retrieve|grab|copy|include|upload|send|dump|print|base64)\\w*\\s+(?:the\\s+)?(?:contents?\\s+of\\s+|file\\s+)?"
            + "(?:" + SENSITIVE_PATH + ")", Guard.NEGATION));
    r.add(near("exfiltration-hidden-copy", 0.8, "\\b(?:bcc|blind\\s+(?:carbon\\s+)?cop(?:y|ies)|carbon\\s+cop(?:y|ies))\\b", DESTINATION, 120));
    r.add(rule("exfiltration-redirect", 0.6,
        "\\b(?:change|replace|set|redirect|rewrite|override|modify|swap|switch|route)\\b[^.\\n]{0,60}\\b(?:recipients?|destination|to\\s+address|"
            + "to\\s+field|recipient\\s+address|iban|wallet|account\\s+number|bank\\s+account|payee)\\b[^.\\n]{0,60}\\b(?:to|with)\\b"));
    r.add(rule("exfiltration-destination", 0.45,
        "\\b(?:webhook\\.site|ngrok(?:-free)?\\.(?:io|app)|requestbin|pipedream\\.net|burpcollaborator|interact\\.sh|oast\\.(?:fun|pro|live|site)|"
            + "pastebin\\.com|transfer\\.sh|hookbin|beeceptor|requestcatcher)"));

    // ---- shadowing: instructions about other tools ----
    r.add(rule("shadowing", 0.55,
        "\\bwhen(?:ever)?\\s+(?:you\\s+|the\\s+(?:assistant|model|agent)\\s+)?(?:use|call|invoke|run|execute)s?\\s+(?:the\\s+|any\\s+)?[`'\"]?"
            + "[a-z][a-z0-9]*(?:[_.-][a-z0-9]+)+[`'\"]?(?:\\s+tool)?\\b"));
    r.add(near("shadowing", 0.6,
        "\\bwhen(?:ever)?\\s+(?:the\\s+)?[`'\"]?[a-z][a-z0-9_.-]*[`'\"]?\\s+(?:tool\\s+)?is\\s+(?:called|used|invoked|executed|available|run)\\b",
        List.of("\\b(?:must|always|also|first|instead|change|replace|modify|redirect|add|send|bcc|cc|copy|forward|include|set|never|do not)\\b"), 100,
        Guard.NONE));
    r.add(rule("shadowing", 0.35,
        "\\b(?:call|use|invoke|run)\\s+this\\s+tool\\s+(?:first|before(?:\\s+(?:any|every|all|using|calling))?)\\b"));
    r.add(rule("shadowing", 0.45, "\\bfor\\s+(?:any|every|all)\\s+(?:user\\s+)?requests?\\b[^.\\n]{0,30}\\beven\\b|\\beven\\s+(?:for\\s+)?unrelated\\s+(?:ones|requests|tasks|queries)\\b"));
    r.add(rule("shadowing", 0.75,
        "\\bside[- ]effects?\\s+on\\s+(?:the\\s+)?(?:also\\s+present\\s+|other\\s+)?[`'\"]?[a-z0-9_.-]+[`'\"]?\\s+tool"
            + "|(?<=_[a-z0-9]{1,30}\\s{1,3})tool\\s+(?:must|should|will|needs\\s+to)\\s+(?:always\\s+|also\\s+|now\\s+)?"
            + "(?:send|include|add|use|copy|forward|call|pass|be\\s+called)"));
    r.add(rule("shadowing", 0.7, "\\bregardless\\s+of\\s+what\\s+the\\s+user\\s+(?:asked|asks|says|said|wants|requested|specifies)"));
    r.add(rule("shadowing", 0.6, "\\bwith\\s+the\\s+(?:exact|same)\\s+arguments\\s+you\\s+(?:intend|plan|want)\\b"));
    r.add(rule("shadowing", 0.35,
        "\\b(?:instead\\s+of|rather\\s+than)\\s+(?:using|calling)\\s+(?:the\\s+)?[`'\"]?[a-z][a-z0-9]*(?:_[a-z0-9]+)+"));

    // ---- forced installs and remote code ----
    r.add(rule("forced-install", 0.85,
        "\\b(?:curl|wget|iwr|invoke-webrequest|irm)\\b[^\\n|]{0,200}\\|\\s*(?:sudo\\s+)?(?:ba|z|da)?sh\\b"
            + "|\\bbase64\\s+(?:-d|--decode)\\b[^\\n]{0,40}\\|\\s*(?:ba)?sh\\b|\\b(?:iex|invoke-expression)\\s*\\(?\\s*(?:iwr|irm|\\(?new-object)"));
    r.add(rule("forced-install", 0.6, "\\bpowershell(?:\\.exe)?\\s+(?:-\\w+\\s+)*-e(?:nc|ncodedcommand)?\\s+[a-z0-9+/=]{16,}"));
    r.add(rule("forced-install", 0.5,
        "\\b(?:using|with|via|inside)\\s+the\\s+(?:shell|terminal|bash|command)\\s+tool\\b[^.\\n]{0,40}\\b(?:install|run|execute)"
            + "|\\b(?:run|execute)\\s+`[^`]{0,120}(?:curl|wget|pip install|npm i|bash|sh -c)[^`]{0,120}`\\s+(?:using|with|via|in)\\s+the\\s+\\w+\\s+tool"));
    r.add(rule("coercion", 0.3,
        "\\botherwise\\s+(?:the\\s+)?(?:tool|it|this|the\\s+(?:request|call|operation))\\s+will\\s+(?:not\\s+work|fail|break|error)"
            + "|\\bthis\\s+is\\s+(?:mandatory|required)\\s+(?:and|but)\\b"));

    // ---- capability: a tool whose stated purpose is an attack ----
    capability(r, 0.75, "\\bexfiltrat(?:e|es|ing|ed)\\b");
    capability(r, 0.7, "\\b(?:steal|steals|stealing|stole|stolen)\\b");
    capability(r, 0.6, "\\bharvest(?:s|ing)?\\s+(?:[a-z]+\\s+){0,2}(?:credentials|passwords|e-?mails?|e-?mail addresses|secrets|tokens|cookies|data|accounts)");
    capability(r, 0.65, "\\b(?:keylog(?:ger|ging|s)?|keystroke\\s+(?:logging|capture|logger)|(?:capture|record|log)s?\\s+(?:all\\s+)?keystrokes)\\b");
    capability(r, 0.5, "\\bransomware\\b");
    capability(r, 0.6, "\\bbackdoor(?:s|ed|ing)?\\b");
    capability(r, 0.65, "\\b(?:reverse|bind|web)\\s+shells?\\b");
    capability(r, 0.55, "\\b(?:privilege\\s+escalation|escalat(?:e|es|ing)\\s+(?:\\w+\\s+)?privileges?|privilege\\s+elevation|gain(?:ing)?\\s+root|for\\s+root\\s+access|account\\s+takeover)\\b");
    capability(r, 0.5,
        "\\b(?:bypass(?:es|ing)?|evade|evades|evading|circumvent(?:s|ing)?|defeat(?:s|ing)?|disable|disables|disabling|kill|tamper(?:s|ing)?\\s+with)\\s+"
            + "(?:the\\s+|all\\s+)?(?:[a-z]+\\s+){0,2}(?:authentication|security(?:\\s+(?:hooks|controls|checks|software))?|protections?|restrictions|antivirus|anti-virus|av|edr|"
            + "defender|amsi|uac|applocker|whitelisting|allow-?listing|logging|detection|selinux|apparmor|integrity\\s+check\\w*|hooks|scanning|mfa|2fa|"
            + "tcc|sandbox(?:ing)?|audit(?:ing)?|monitoring)\\b");
    capability(r, 0.6, "\\b(?:brute[\\s-]?forc(?:e|es|ing)|password\\s+spray(?:ing)?|credential\\s+stuffing|dictionary\\s+attack)\\b");
    capability(r, 0.55, "\\bcrack(?:s|ing)?\\s+(?:[a-z]+\\s+){0,2}(?:passwords?|hash(?:es)?|secrets?|keys?|wpa|jwt|handshakes?)\\b|\\bfor\\s+offline\\s+cracking\\b");
    capability(r, 0.55,
        "\\bdump(?:s|ing)?\\s+(?:[a-z.]+\\s+){0,3}(?:credentials|passwords?|password\\s+hashes|hashes|lsass|sam|ntds|keychain|secrets|memory|shadow\\s+file|keyring|vault)\\b");
    capability(r, 0.55,
        "\\b(?:mimikatz|lsass|ntds\\.dit|kerberoast\\w*|golden\\s+ticket|silver\\s+ticket|pass-the-(?:hash|ticket)|pass\\s+the\\s+(?:hash|ticket)|dcsync|evilginx|responder\\s+to\\s+poison|"
            + "llmnr|pwnkit|printnightmare|zerologon|petitpotam|shadow\\s+credentials)\\b");
    capability(r, 0.6, "\\b(?:phishing\\s+(?:page|site|kit|e-?mail|campaign|link)s?|credential\\s+phishing|create\\s+(?:a\\s+)?phishing)\\b");
    capability(r, 0.55, "\\battacker(?:-controlled|'s|s)?\\b|\\bcompromised\\s+(?:smtp|server|host|account)s?\\b");
    capability(r, 0.55,
        "\\bmalicious\\s+(?:payloads?|code|macros?|dlls?|files?|content|extensions?|library|libraries|cron|jobs?|systemd|service|script|queries|values|"
            + "arguments|zip|tar|autorun|one|javascript|binary|binaries|link|links|redirect|commands?|input)\\b");
    capability(r, 0.55, "\\binject(?:s|ing|ed)?\\s+(?:[a-z]+\\s+){0,2}(?:shellcode|malicious|keystrokes|dlls?|code\\s+into|library|payloads?|commands?)\\b");
    capability(r, 0.55, "\\b(?:covert|hidden)\\s+(?:channels?|exfiltration|timing)\\b|\\bsteganograph\\w*\\b");
    capability(r, 0.5, "\\b(?:hide|hides|hiding|cover)\\s+(?:[a-z]+\\s+){0,2}(?:tracks|activity|exfiltrated|stolen)\\b|\\btimestomp\\w*");
    capability(r, 0.5, "\\btamper(?:s|ing)?\\s+with\\s+(?:[a-z]+\\s+){0,2}logs?\\b|\\b(?:clear|wipe|delete)s?\\s+(?:the\\s+)?(?:security|event|audit)\\s+logs?\\b");
    capability(r, 0.35, "\\b(?:execute|run)s?\\s+arbitrary\\s+(?:code|commands?|shell|python|powershell)\\b|\\barbitrary\\s+code\\s+execution\\b");
    capability(r, 0.55,
        "\\b(?:container|sandbox|chroot|jail)\\s+escape\\b|\\bescape\\s+(?:the\\s+|from\\s+)?(?:container|sandbox|chroot(?:\\s+jail)?|virtual\\s+machine|vm)\\b");
    capability(r, 0.45, "\\bexploit(?:s|ing|ed)?\\b");
    capability(r, 0.35, "\\bhijack(?:s|ing|ed)?\\b");
    capability(r, 0.55, "\\b(?:injection|deserialization|relay|spoofing|mitm|man-in-the-middle)\\s+attacks?\\b|\\b(?:perform|launch|run)\\s+(?:an?\\s+)?[a-z]+\\s+(?:injection|attack)\\b");
    capability(r, 0.5, "\\bfork\\s+bomb\\b|\\bzip\\s+slip\\b|\\bprocess\\s+hollowing\\b|\\bshellcode\\b");
    capability(r, 0.35, "\\bforg(?:e|es|ing|ed)\\s+(?:[a-z]+\\s+){0,2}(?:tokens?|tickets?|signatures?|certificates?|cookies?|sessions?)\\b");
    capability(r, 0.45, "\\bsniff(?:s|ing)?\\s+(?:[a-z]+\\s+){0,2}(?:passwords|credentials|traffic|packets)\\b");
    capability(r, 0.4, "\\bunauthori[sz]ed\\s+access\\b|\\bwithout\\s+(?:the\\s+)?(?:owner's|user's|their)\\s+(?:consent|knowledge|permission)\\b");
    capability(r, 0.5, "\\b(?:code|command|template|sql|ldap|xpath|nosql|ognl|object|expression\\s+language|dll|process|shellcode|apc|xxe|xslt)\\s+injection\\b");
    capability(r, 0.5,
        "\\bextract(?:s|ing)?\\s+(?:[a-z]+\\s+){0,2}(?:passwords?|credentials?|secrets|api\\s+keys?|autofill|browser\\s+(?:history|data|cookies)|session\\s+(?:data|cookies|tokens)|"
            + "certificates|private\\s+keys?|hashes|tokens|pmkid|wifi\\s+profiles|ssh\\s+keys?)\\b");
    capability(r, 0.5, "\\b(?:saved|stored|cached)\\s+(?:[a-z]+\\s+)?(?:passwords|credentials|logins)\\b|\\b(?:grab|capture|intercept)s?\\s+(?:[a-z]+\\s+){0,2}(?:credentials|passwords|handshakes|session\\s+tokens|cookies)\\b");
    capability(r, 0.45, "\\babuse[sd]?\\s+(?:[a-z]+\\s+){0,2}(?:permissions?|privileges?|delegation|acls?|tokens?|capabilities|policy|policies|misconfigurations?|rights|seimpersonateprivilege)\\b");
    capability(r, 0.45, "\\bimpersonat(?:e|es|ing|ion)\\s+(?:[a-z]+\\s+){0,2}(?:privileged|admin|administrator|root|system|tokens?|users?)\\b");
    capability(r, 0.4, "\\b(?:attack|attacks|attacking)\\b");
    capability(r, 0.45, "\\bjailbreak(?:s|ing)?\\b");
    capability(r, 0.45, "\\bhide\\s+(?:data|files?|payloads?|malware|processes|itself|secrets?)\\s+(?:in|within|inside|from)\\b");
    capability(r, 0.45, "\\bexhaust(?:s|ing)?\\s+(?:[a-z]+\\s+){0,2}(?:disk|memory|inodes|process|quota|resources|space|table)\\b|\\bdenial[\\s-]of[\\s-]service\\b");
    capability(r, 0.4, "\\bcorrupt(?:s|ing)?\\s+(?:[a-z]+\\s+){0,2}(?:files?|data|disk|contents|database|backups?)\\b");
    capability(r, 0.3, "\\bpersistence\\b|\\bcommand[- ]and[- ]control\\b|\\bbotnet\\b|\\bcryptojack\\w*|\\bcrypto-?mining\\s+payload");

    multilingual(r);
    return List.copyOf(r);
  }

  /**
   * Rules in es, fr, de, it, pt, zh, ja, ru, ko: instruction override, concealment, exfiltration
   * (sensitive data near a send verb), shadowing and capability, so a payload written in another
   * language does not slip past English keywords.
   */
  private static void multilingual(List<Rule> r) {
    lang(r, "es",
        "\\b(?:ignora|ignore|ignorar|olvida|olvide|omite|omita|descarta|descarte)\\s+(?:todas\\s+)?(?:las\\s+|tus\\s+|sus\\s+)?(?:instrucciones|indicaciones|reglas|órdenes|directrices)\\s+(?:anteriores|previas|del\\s+sistema|de\\s+seguridad|originales)",
        "\\bno\\s+(?:le\\s+|les\\s+)?(?:digas|diga|menciones|mencione|informes|informe|reveles|revele|muestres|muestre|comuniques|comunique|avises|avise|cuentes|cuente)\\b[^.\\n]{0,40}\\busuari[oa]s?"
            + "|\\bsin\\s+(?:que\\s+el\\s+usuario\\s+(?:lo\\s+)?(?:sepa|note|vea)|decirle|informar|avisar|notificar)(?:lo|le)?\\s+(?:al\\s+|a\\s+los\\s+)?usuari"
            + "|\\b(?:esta|estas)\\s+(?:descripción|instrucciones?)\\s+(?:es|son)\\s+confidencial",
        "\\b(?:contraseñas?|credenciales|claves?\\s+(?:privadas?|ssh|de\\s+api|api|secretas?)|tokens?\\s+de\\s+acceso|variables\\s+de\\s+entorno|historial\\s+de\\s+(?:la\\s+)?(?:conversación|chat)|prompt\\s+del\\s+sistema|instrucciones\\s+del\\s+sistema)",
        "\\b(?:envía|envíe|enviar|envia|envie|reenvía|reenvíe|reenviar|manda|mande|mandar|sube|suba|subir|incluye|incluya|incluir|adjunta|adjunte|copia|copie|pasa|pase|añade|añada|agrega|agregue|lee|lea|leer|coloca|coloque|pon|ponga)\\b",
        "\\bcuando\\s+(?:se\\s+)?(?:use|usa|utilice|utiliza|llame|llama|invoque|ejecute|uses|llames)\\s+(?:la\\s+herramienta|el\\s+tool|la\\s+función)|\\b(?:llama|llame|usa|use)\\s+(?:a\\s+)?esta\\s+herramienta\\s+(?:primero|antes)",
        "\\b(?:exfiltra(?:r|n|do)?\\b|roba(?:r|n)?\\s+(?:las\\s+|los\\s+)?(?:credenciales|contraseñas|datos|tokens|claves)|puerta\\s+trasera|escalada\\s+de\\s+privilegios|elud(?:e|ir)\\s+(?:la\\s+)?(?:seguridad|autenticación|antivirus)|registrador\\s+de\\s+teclas)");
    lang(r, "fr",
        "\\b(?:ignore[rsz]?|oublie[rsz]?|néglige[rsz]?|ignorez|oubliez)\\s+(?:toutes\\s+|tous\\s+)?(?:les\\s+|tes\\s+|vos\\s+)?(?:instructions|consignes|règles|directives)\\s+(?:précédentes|antérieures|du\\s+système|de\\s+sécurité|initiales)",
        "\\bne\\s+(?:le\\s+|lui\\s+|leur\\s+|rien\\s+)?(?:dis|dites|mentionne[zs]?|révèle[zs]?|montre[zs]?|informe[zs]?|signale[zs]?|parle[zs]?|préviens|prévenez)\\s+(?:rien\\s+|pas\\s+|jamais\\s+)[^.\\n]{0,40}utilisat(?:eur|rice)"
            + "|\\bsans\\s+(?:en\\s+)?(?:informer|prévenir|avertir|le\\s+dire\\s+à|notifier)\\s+l['’]utilisat|\\bà\\s+l['’]insu\\s+de\\s+l['’]utilisat"
            + "|\\b(?:cette\\s+description|ces\\s+instructions)\\s+(?:est|sont)\\s+confidentiel",
        "\\b(?:mots?\\s+de\\s+passe|identifiants|informations\\s+d['’]identification|clés?\\s+(?:privées?|ssh|api|d['’]api|secrètes?)|jetons?\\s+d['’]accès|variables\\s+d['’]environnement|historique\\s+de\\s+(?:la\\s+)?conversation|prompt\\s+système|instructions\\s+système)",
        "\\b(?:envoie[rsz]?|envoyer|envoyez|transfère[rsz]?|transférez|transmet(?:s|tez|tre)?|télécharge[rsz]?|inclu(?:s|ez|re)|ajoute[rsz]?|ajoutez|joins|joignez|copie[rsz]?|copiez|lis|lisez|lire|mets|mettez|insère[rsz]?|insérez)\\b",
        "\\b(?:lorsque|quand|chaque\\s+fois\\s+que)\\s+(?:vous\\s+utilisez\\s+|tu\\s+utilises\\s+|on\\s+utilise\\s+)?l['’]outil\\b|\\b(?:appelle[rz]?|utilise[rz]?)\\s+cet\\s+outil\\s+(?:d['’]abord|en\\s+premier|avant)",
        "\\b(?:exfiltre[rsz]?\\b|exfiltrer\\b|vole[rsz]?\\s+(?:les\\s+)?(?:identifiants|mots\\s+de\\s+passe|données|jetons|clés)|porte\\s+dérobée|élévation\\s+de\\s+privilèges|contourne[rsz]?\\s+(?:la\\s+|l['’])?(?:sécurité|authentification|antivirus)|enregistreur\\s+de\\s+frappe)");
    lang(r, "de",
        "\\b(?:ignoriere|ignorieren\\s+sie|ignorier|vergiss|vergessen\\s+sie|missachte|missachten\\s+sie)\\s+(?:alle\\s+)?(?:bisherigen\\s+|vorherigen\\s+|vorigen\\s+|früheren\\s+|obigen\\s+|deine\\s+|ihre\\s+)?(?:anweisungen|instruktionen|regeln|vorgaben|richtlinien|sicherheitsrichtlinien|befehle)",
        "\\b(?:sag|sage|sagen\\s+sie|erzähl|erzähle|erzählen\\s+sie|verrate|verraten\\s+sie|teile|teilen\\s+sie|zeige|zeigen\\s+sie|erwähne|erwähnen\\s+sie|informiere|informieren\\s+sie)\\s+(?:dem|den|der)\\s+(?:benutzer|nutzer|anwender)\\w*\\s+(?:nichts|nicht|niemals|kein)"
            + "|\\b(?:benutzer|nutzer|anwender)\\w*\\s+(?:darf|soll|sollte|muss)\\s+(?:nichts|nicht|niemals)\\s+(?:davon\\s+)?(?:erfahren|wissen|sehen|bemerken|mitbekommen)"
            + "|\\bohne\\s+(?:den|dass\\s+der|das\\s+wissen\\s+des)\\s+(?:benutzer|nutzer|anwender)\\w*\\s*(?:zu\\s+informieren|zu\\s+benachrichtigen|es\\s+(?:merkt|bemerkt|weiß))?"
            + "|\\b(?:diese\\s+beschreibung|diese\\s+anweisungen)\\s+(?:ist|sind)\\s+vertraulich",
        "\\b(?:passwörter|passwort|kennwörter|kennwort|zugangsdaten|anmeldedaten|private[nrs]?\\s+schlüssel|ssh-schlüssel|api-schlüssel|umgebungsvariablen|gesprächsverlauf|chatverlauf|systemprompt|system-prompt)",
        "\\b(?:sende|senden|sendest|schicke|schicken|übermittle|übermitteln|lade|laden|leite|leiten|füge|fügen|hänge|hängen|kopiere|kopieren|lies|lesen|gib|geben|trage|tragen|setze|setzen)\\b",
        "\\bwenn\\s+(?:das\\s+|ein\\s+)?(?:tool|werkzeug)\\s+[`'\"]?[a-z_]*[`'\"]?\\s*(?:aufgerufen|verwendet|benutzt|genutzt)\\s+wird|\\brufe?\\s+(?:immer\\s+)?(?:zuerst\\s+)?dieses\\s+(?:tool|werkzeug)\\s+(?:zuerst|auf|vorher)",
        "\\b(?:exfiltrier(?:e|en|t|te|ten)?\\b|stiehlt|stehlen|stiehl|gestohlen\\w*|hintertür|rechteausweitung|privilegienerweiterung|umgeh(?:e|en|t)\\s+(?:die\\s+)?(?:sicherheit|authentifizierung|virenschutz|sicherheitsmaßnahmen)|tastatureingaben\\s+(?:mitschneiden|aufzeichnen))");
    lang(r, "it",
        "\\b(?:ignora|ignorare|ignori|dimentica|dimenticare|dimentichi|trascura)\\s+(?:tutte\\s+)?(?:le\\s+)?(?:istruzioni|indicazioni|regole|direttive)\\s+(?:precedenti|del\\s+sistema|di\\s+sicurezza|originali)",
        "\\bnon\\s+(?:dire|dirlo|dirgli|dica|menzionare|menzioni|rivelare|riveli|mostrare|mostri|informare|informi|avvisare|avvisi|comunicare)\\b[^.\\n]{0,40}utent[ei]"
            + "|\\bsenza\\s+(?:informare|avvisare|avvertire|dirlo\\s+a(?:ll['’])?)\\s*(?:l['’])?utent[ei]|\\ball['’]insaputa\\s+dell['’]utente"
            + "|\\b(?:questa\\s+descrizione|queste\\s+istruzioni)\\s+(?:è|sono)\\s+(?:riservat|confidenzial)",
        "\\b(?:password|credenziali|chiavi?\\s+(?:privat[ae]|ssh|api|segret[ae])|token\\s+di\\s+accesso|variabili\\s+d['’]ambiente|cronologia\\s+della\\s+(?:conversazione|chat)|prompt\\s+di\\s+sistema)",
        "\\b(?:invia|inviare|invii|manda|mandare|inoltra|inoltrare|carica|caricare|includi|includere|allega|allegare|copia|copiare|leggi|leggere|aggiungi|aggiungere|inserisci|inserire|metti)\\b",
        "\\bquando\\s+(?:si\\s+)?(?:usa|utilizza|chiama|invoca|usi|chiami)\\s+(?:lo\\s+strumento|il\\s+tool|l['’]strumento)|\\b(?:chiama|usa)\\s+(?:sempre\\s+)?(?:prima\\s+)?questo\\s+strumento\\s+(?:prima|per\\s+primo)",
        "\\b(?:esfiltra(?:re|no|to|ti)?\\b|ruba(?:re|no)?\\s+(?:le\\s+|i\\s+)?(?:credenziali|password|dati|token|chiavi)|backdoor|escalation\\s+dei\\s+privilegi|aggira(?:re|no)?\\s+(?:la\\s+|l['’])?(?:sicurezza|autenticazione|antivirus))");
    lang(r, "pt",
        "\\b(?:ignore|ignora|ignorar|esqueça|esqueca|esquece|esquecer|desconsidere|desconsiderar)\\s+(?:todas\\s+)?(?:as\\s+)?(?:instruções|instrucoes|regras|diretrizes|orientações)\\s+(?:anteriores|prévias|do\\s+sistema|de\\s+segurança|originais)",
        "\\bnão\\s+(?:diga|conte|mencione|revele|mostre|informe|avise|fale|notifique)\\b[^.\\n]{0,40}(?:usuário|usuario|utilizador)"
            + "|\\bsem\\s+(?:informar|avisar|contar\\s+a[o]?|notificar|que\\s+o\\s+(?:usuário|utilizador)\\s+saiba)\\s*(?:o\\s+)?(?:usuário|utilizador)?"
            + "|\\b(?:esta\\s+descrição|estas\\s+instruções)\\s+(?:é|são)\\s+confidencia",
        "\\b(?:senhas?|palavras-passe|credenciais|chaves?\\s+(?:privadas?|ssh|de\\s+api|api|secretas?)|tokens?\\s+de\\s+acesso|variáveis\\s+de\\s+ambiente|histórico\\s+da\\s+(?:conversa|conversação)|prompt\\s+do\\s+sistema)",
        "\\b(?:envie|enviar|envia|encaminhe|encaminhar|mande|mandar|carregue|inclua|incluir|anexe|anexar|copie|copiar|leia|ler|adicione|adicionar|coloque|colocar|passe|passar|insira)\\b",
        "\\bquando\\s+(?:a\\s+ferramenta|o\\s+tool|você\\s+usar\\s+a\\s+ferramenta|usar\\s+a\\s+ferramenta|for\\s+usada\\s+a\\s+ferramenta)|\\b(?:chame|use)\\s+(?:sempre\\s+)?esta\\s+ferramenta\\s+(?:primeiro|antes)",
        "\\b(?:exfiltr(?:ar|e|a|ou|ando|am)\\b|roub(?:e|ar|a)\\s+(?:as\\s+|os\\s+)?(?:credenciais|senhas|dados|tokens|chaves)|porta\\s+dos\\s+fundos|(?:escalonamento|escalação|elevação)\\s+de\\s+privilégios|contorn(?:e|ar|a)\\s+(?:a\\s+)?(?:segurança|autenticação|antivírus))");
    lang(r, "zh",
        "(?:忽略|无视|忽视|不要理会|不理会|忘记|忘掉|跳过)(?:之前|以前|先前|上面|上述|前面|此前|所有|全部|系统|一切)?的?(?:所有|全部|一切)?(?:指令|指示|说明|规则|提示词?|命令|要求|设定)",
        "(?:不要|别|切勿|请勿|不得|千万不要|不能|无需|不必)(?:告诉|告知|通知|提醒|透露|让|向|对)(?:用户|使用者)|(?:对|向)(?:用户|使用者)(?:隐瞒|保密)|(?:用户|使用者)(?:不会|无法|不能)(?:看到|察觉|发现|知道)|(?:此|该|本)(?:描述|说明|指令)(?:是|为)?(?:机密|保密)",
        "(?:密码|凭据|凭证|私钥|密钥|令牌|环境变量|对话记录|聊天记录|对话历史|系统提示|api\\s*key)",
        "(?:发送|上传|转发|发到|发给|提交|附加|附上|读取|包含|放入|填入|传入|复制|写入)",
        "(?:调用|使用)(?:任何)?(?:其他|其它|另一个)?的?(?:工具|函数)(?:时|之前|前|的时候)|(?:首先|先|总是先)(?:调用|使用)(?:此|这个|本|该)工具",
        "(?:窃取|盗取|盗用|偷取|外泄|后门|提权|权限提升|绕过(?:安全|认证|身份验证|杀毒|防护)|键盘记录|勒索软件)");
    lang(r, "ja",
        "(?:以前|前|これまで|上記|すべて|全て|システム)の(?:指示|命令|ルール|指図|プロンプト|設定)を(?:無視|忘れ)",
        "ユーザー?(?:に|には|へ)(?:は)?(?:伝え|知らせ|言わ|教え|通知し|見せ|報告し|明かさ)(?:ない|ず|ないで)|ユーザー?に(?:は)?(?:秘密|内緒)|ユーザー?に(?:気づかれ|知られ)(?:ない|ず)|(?:この|これらの)(?:説明|指示)は(?:機密|秘密)",
        "(?:パスワード|認証情報|資格情報|秘密鍵|プライベートキー|apiキー|環境変数|会話履歴|チャット履歴|システムプロンプト|トークン)",
        "(?:送信|送って|送る|アップロード|転送|含め|添付|読み取|読み込|読んで|入れて|渡して|コピー|記入)",
        "ツールを(?:呼び出す|使う|使用する|実行する)(?:前|とき|時|際)|(?:最初に|まず|必ず)この(?:ツール)を(?:呼び出|使)",
        "(?:窃取|盗む|盗み|盗んで|流出させ|持ち出|バックドア|権限昇格|(?:セキュリティ|認証)を(?:回避|迂回|無効)|キーロガー|ランサムウェア)");
    lang(r, "ru",
        "(?:игнорируй(?:те)?|проигнорируй(?:те)?|забудь(?:те)?|не\\s+обращай(?:те)?\\s+внимания\\s+на|отбрось(?:те)?)\\s+(?:все\\s+)?(?:предыдущие|прежние|прошлые|вышеуказанные|системные|свои)?\\s*(?:инструкции|указания|правила|команды|установки)",
        "не\\s+(?:говори|говорите|сообщай|сообщайте|рассказывай|рассказывайте|показывай|показывайте|упоминай|упоминайте|раскрывай|раскрывайте|уведомляй|уведомляйте)\\s+[^.\\n]{0,40}пользовател"
            + "|без\\s+(?:ведома|уведомления|согласия)\\s+пользовател|скр(?:ой|ойте|ывай|ывайте)\\s+[^.\\n]{0,30}от\\s+пользовател|(?:это|эти)\\s+(?:описание|инструкции)\\s+(?:конфиденциальн|секретн)",
        "(?:парол|учетн\\w*\\s+данн|учётн\\w*\\s+данн|закрыт\\w*\\s+ключ|приватн\\w*\\s+ключ|секретн\\w*\\s+ключ|ключ\\w*\\s+ssh|ssh[-\\s]ключ|api[-\\s]ключ|токен|переменн\\w*\\s+окружения|истори\\w*\\s+(?:переписки|диалога|разговора|чата)|системн\\w*\\s+промпт)",
        "(?:отправ\\w+|перешл\\w+|пересыл\\w+|загруз\\w+|выгруз\\w+|включ\\w+|добав\\w+|прочита\\w+|прочти|считай|скопиру\\w+|передай\\w*|передава\\w+|вставь\\w*|помест\\w+)",
        "(?:когда|при)\\s+(?:вы\\s+)?(?:вызов\\w*|использ\\w+)\\s+(?:инструмент\\w*)|(?:сначала|всегда\\s+сначала)\\s+вызов\\w+\\s+этот\\s+инструмент",
        "(?:укра(?:сть|дите|ди|дёт)|краж\\w+|похи(?:тить|щает|щение)|эксфильтр\\w+|бэкдор|повышени\\w*\\s+привилегий|обход\\w*\\s+(?:защиты|аутентификации|антивирус)|кейлоггер|вымогател\\w*)");
    lang(r, "ko",
        "(?:이전|앞의|위의|기존|모든|시스템)\\s*(?:의\\s*)?(?:모든\\s*)?(?:지시|지침|명령|규칙|지시사항|프롬프트)(?:을|를|은|는)?\\s*(?:모두\\s*)?(?:무시|잊어)",
        "사용자(?:에게|한테)\\s*(?:알리지|말하지|보여주지|공개하지|언급하지|통보하지)\\s*(?:마|말|않)|사용자\\s*몰래|사용자(?:가|는)\\s*(?:모르게|알\\s*수\\s*없)|(?:이|이러한)\\s*(?:설명|지시)(?:은|는)\\s*기밀",
        "(?:비밀번호|패스워드|자격\\s*증명|인증\\s*정보|개인\\s*키|비밀\\s*키|개인키|api\\s*키|환경\\s*변수|대화\\s*기록|시스템\\s*프롬프트|토큰)",
        "(?:보내|전송|업로드|전달|포함|첨부|읽어|읽고|복사|넣어|입력)",
        "도구를\\s*(?:호출|사용|실행)(?:할|하기)\\s*(?:때|전)|(?:먼저|항상)\\s*이\\s*도구를\\s*(?:호출|사용)",
        "(?:탈취|훔치|훔쳐|유출시|백도어|권한\\s*상승|(?:보안|인증)(?:을|를)?\\s*우회|키로거|랜섬웨어)");
  }

  private static void lang(List<Rule> r, String lang, String override, String conceal, String sensitive, String send,
      String shadow, String capability) {
    r.add(rule("instruction-override[" + lang + "]", 0.9, override));
    r.add(rule("concealment[" + lang + "]", 0.8, conceal));
    // A send verb of that language near its own sensitive nouns, a credential path, or a parameter.
    r.add(near("exfiltration[" + lang + "]", 0.8, sensitive, send, 100));
    r.add(near("exfiltration[" + lang + "]", 0.8, SENSITIVE_PATH, send, 100));
    r.add(rule("shadowing[" + lang + "]", 0.6, shadow));
    r.add(rule("capability[" + lang + "]", 0.6, capability, Guard.DEFENSIVE));
  }

  private static void capability(List<Rule> r, double weight, String regex) {
    r.add(rule("capability", weight, regex, Guard.DEFENSIVE));
  }

  private static Rule rule(String id, double weight, String regex) {
    return rule(id, weight, regex, Guard.NONE);
  }

  private static Rule rule(String id, double weight, String regex, Guard guard) {
    return new Rule(id, weight, Pattern.compile(regex), List.of(), 0, guard);
  }

  private static Rule near(String id, double weight, String regex, String nearRegex, int window) {
    return near(id, weight, regex, List.of(nearRegex), window, Guard.NONE);
  }

  private static Rule near(String id, double weight, String regex, List<String> nearRegexes, int window, Guard guard) {
    return new Rule(id, weight, Pattern.compile(regex), nearRegexes.stream().map(Pattern::compile).toList(), window, guard);
  }
}
