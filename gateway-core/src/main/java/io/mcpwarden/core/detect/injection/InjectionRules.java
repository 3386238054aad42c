package io.mcpwarden.core.detect.injection;

import io.mcpwarden.core.detect.injection.Rule.Near;
import io.mcpwarden.core.detect.injection.Rule.Phrase;
import java.util.List;

/**
 * The catalogue of injection shapes, each a {@link Rule} over folded (lower-case, de-obfuscated)
 * text, with vocabularies in several languages for the shapes that matter most.
 *
 * <p>Why weights rather than verdicts: many shapes also occur in honest text (an e-mail asking for
 * "your reply", documentation with {@code curl | sh}); a weak shape only flags together with other
 * evidence, a strong one ("ignore previous instructions", a chat-template token) flags alone.
 * Patterns never use unbounded repetition across lines, so matching stays linear on large results.
 */
final class InjectionRules {
  private InjectionRules() {}

  // Vocabulary shared by several rules.
  private static final String ASSISTANT =
      "(?:ai|a\\.i\\.|artificial intelligence|ai assistant|assistant|chatbot|chat bot|language"
          + " model|large language model|llm|gpt|chatgpt|claude|gemini|copilot|ai agent|ai model)";
  private static final String OUTPUT =
      "(?:response|reply|answer|output|replies|responses|answers|next message|summary|result)";
  private static final String DOMAIN =
      "(?:https?://|www\\.|\\b[a-z0-9-]+\\.(?:com|net|org|xyz|io|ru|cn|biz|info|top|click|link|app|site|online|shop|co)\\b)";
  private static final String SECRETS =
      "(?:conversation|chat history|chat log|message history|previous messages|system prompt|your"
          + " instructions|api[ _-]?keys?|access tokens?|tokens?|passwords?|credentials?|secrets?|private"
          + " keys?|ssh keys?|id_rsa|\\.env\\b|environment variables|env vars|cookies?|session"
          + " (?:ids?|tokens?)|(?:the )?user'?s? (?:data|files|e-?mails|messages|contacts|history|information|details|documents)|personal"
          + " (?:data|information|details)|contents? of)";

  /** Rules for instructions aimed at the model, in natural language. */
  static final List<Rule> LANGUAGE =
      List.of(
          // --- overriding the model's instructions, in many languages
          new Phrase(
              "ignore-instructions",
              0.95,
              "(?<!tries to |try to |attempts to |attempt to |trying to |designed to |used to |can |may |could |might |which |that |will |would |cannot |can't |to not |never )"
                  + "\\b(?:ignore|disregard|forget|skip|bypass|override|overrule|neglect|abandon|discard)\\b[^.\\n]{0,40}?"
                  + "\\b(?:previous|prior|above|earlier|preceding|original|initial|former|old|existing|all|your|any|the|system|developer|these|those)\\b"
                  + "[^.\\n]{0,30}?\\b(?:instructions?|prompts?|rules|directions|guidelines|directives?|commands|constraints|guardrails|restrictions|policies|programming|orders|tasks?)\\b", "ignore", "disregard", "forget", "skip", "bypass", "override", "overrule", "neglect", "abandon", "discard"),
          new Phrase(
              "ignore-instructions-de",
              0.9,
              "\\b(?:ignorier\\p{L}*|vergiss|vergessen sie|missachte\\p{L}*)\\b[^.\\n]{0,50}?(?:anweisungen|instruktionen|befehle|regeln|vorgaben|anordnungen|aufgaben)", "ignorier*", "vergiss*", "vergessen*", "missachte*"),
          new Phrase(
              "ignore-instructions-fr",
              0.9,
              "\\b(?:ignore[rz]|ignore (?:toutes|tous|les|tes|vos|ces)|oublie[rz]?|ne tiens? (?:pas|plus) compte)\\b[^.\\n]{0,50}?(?:instructions?|consignes?|directives?|règles|ordres)", "ignore*", "oublie*", "compte"),
          new Phrase(
              "ignore-instructions-es-it-pt",
              0.9,
              "\\b(?:ignora\\p{L}*|ignore|olvida\\p{L}*|omite|descarta\\p{L}*|dimentica\\p{L}*|esqueça\\p{L}*|desconsidere)\\b[^.\\n]{0,50}?"
                  + "(?:instrucciones|indicaciones|órdenes|reglas|directrices|istruzioni|indicazioni|regole|direttive|instruções|instrucoes|orientações|regras|diretrizes)", "ignor*", "olvid*", "omite*", "descart*", "dimentic*", "esque*", "desconsider*"),
          new Phrase(
              "ignore-instructions-nl-pl-tr",
              0.9,
              "\\b(?:negeer|vergeet|zignoruj|ignoruj|zapomnij)\\b[^.\\n]{0,50}?(?:instructies|aanwijzingen|regels|opdrachten|instrukcj\\p{L}*|polece\\p{L}*|zasad\\p{L}*)"
                  + "|(?:önceki|tüm|bütün)[^.\\n]{0,30}?(?:talimat\\p{L}*|komut\\p{L}*|kural\\p{L}*)[^.\\n]{0,20}?(?:yok say|görmezden gel|unut)", "negeer", "vergeet", "ignoruj", "zapomnij", "önceki", "tüm", "bütün"),
          new Phrase(
              "ignore-instructions-ru-uk",
              0.9,
              "(?:игнорир\\p{L}*|проигнорир\\p{L}*|забудь\\p{L}*|не обращай\\p{L}* внимани\\p{L}*|ігнору\\p{L}*|забудь)[^.\\n]{0,50}?"
                  + "(?:инструкци\\p{L}*|указани\\p{L}*|правил\\p{L}*|команд\\p{L}*|промпт\\p{L}*|інструкці\\p{L}*|вказівк\\p{L}*)", "игнор", "проигнор", "забудь", "не обращай", "ігнор"),
          new Phrase(
              "ignore-instructions-cjk",
              0.9,
              "(?:忽略|无视|忽视|不要理会|忘记|忘掉|無視|忽略掉|不理会)[^。\\n]{0,12}?(?:指令|指示|说明|說明|提示|规则|規則|命令|要求|设定)"
                  + "|(?:指示|命令|ルール|プロンプト|指令)[^。\\n]{0,10}?(?:無視|忘れ)"
                  + "|(?:지시|지침|명령|규칙|프롬프트)[^.\\n]{0,12}?(?:무시|잊어)", "忽略", "无视", "忽视", "不要理会", "忘记", "忘掉", "無視", "不理会", "忘れ", "무시", "잊어"),
          new Phrase(
              "ignore-instructions-ar-hi",
              0.9,
              "(?:تجاهل|انس)[^.\\n]{0,40}?(?:التعليمات|الأوامر|التوجيهات)|(?:निर्देशों|निर्देश)[^।\\n]{0,20}?(?:अनदेखा|नज़रअंदाज़|भूल)", "تجاهل", "انس", "निर्देश"),

          new Phrase(
              "forget-everything",
              0.85,
              "\\b(?:forget|disregard|ignore|drop)\\b (?:about )?(?:everything|all(?: of)? (?:that|this|the above|the previous|of the above|what)|what (?:i|you were|you've been|you have been) (?:said|told|instructed))\\b"
                  + "|\\bvergiss (?:alles|das alles|alle[ns]?)\\b|\\boublie(?:z)? tout\\b|\\bolvida(?:te de)? todo\\b|\\bdimentica tutto\\b|\\besque(?:ç|c)a tudo\\b|забудь(?:те)? (?:всё|все)",
              "forget", "disregard", "ignore", "drop", "vergiss", "oublie*", "olvida*", "dimentica", "esque*", "забудь").within(0, 80),
          new Phrase(
              "stop-and-switch",
              0.6,
              "\\b(?:stop|halt|pause)\\b[^.\\n]{0,20}?(?:what you are doing|summari[sz]ing|translating|your (?:current )?task)\\b|\\b(?:achtung|attention|important|urgent)\\b ?[-:!]+ ?(?:stop|stopp)\\b",
              "stop", "stopp", "halt", "pause"),
          // --- text addressed to the model rather than to the human reader
          new Phrase(
              "addressed-to-assistant",
              0.8,
              "\\b(?:dear|attention|note to(?: the)?|message (?:to|for)(?: the)?|instructions? (?:to|for)(?: the)?"
                  + "|(?:important|urgent) (?:message|note|instructions?|notice) (?:to|for)(?: the)?|to you,?|you,(?: the)?) "
                  + ASSISTANT
                  + "s?\\b", "ai", "a.i.", "artificial", "assistant*", "chatbot*", "chat bot", "language model", "llm*", "gpt*", "chatgpt", "claude*", "gemini*", "copilot*"),
          new Phrase(
              "greets-assistant",
              0.4,
              "\\b(?:hey|hi|hello|ok|okay),? " + ASSISTANT + "\\b", "ai", "assistant*", "chatbot*", "llm*", "gpt*", "chatgpt", "claude*", "gemini*", "copilot*", "language model").within(12, 40),
          new Phrase(
              "addressed-to-assistant",
              0.75,
              "\\b(?:if you are|if you're|since you are|you are|as) an? (?:ai|artificial intelligence|ai assistant|large language model|language model|llm|ai agent|ai model|chatbot|automated assistant)\\b"
                  + "(?! (?:company|startup|platform|product|tool|researcher|engineer|team|feature|service|act|regulation))", "ai", "a.i.", "artificial", "assistant*", "chatbot*", "chat bot", "language model", "llm*", "gpt*", "chatgpt", "claude*", "gemini*", "copilot*"),
          new Phrase(
              "addressed-to-assistant",
              0.8,
              "\\b(?:ai|assistant|llm|agent|model|chatbot|bot)s? (?:reading|processing|summari[sz]ing|parsing) this\\b|\\b(?:whoever|any ai|any assistant|any llm) (?:is )?(?:reading|processing) this\\b", "reading this", "processing this", "summarizing this", "summarising this", "parsing this"),
          new Phrase(
              "addressed-to-assistant-i18n",
              0.7,
              "(?:ki-assistent|ki assistent|liebe[rs]? ki\\b|an die ki\\b|assistant ia|assistant d'ia|cher assistant|chère ia|modèle de langage|asistente de ia|asistente ia|modelo de lenguaje|querido asistente|assistente ia|assistente virtuale|modello linguistico|ии-ассистент|ии ассистент|языковая модель|дорогой ассистент|ai助手|人工智能助手|语言模型|大模型|aiアシスタント|言語モデル|ai 어시스턴트|언어 모델)", "ki-assistent", "ki assistent", "ki", "assistant ia", "assistant d'ia", "cher assistant", "chère ia", "modèle de langage", "asistente", "modelo de lenguaje", "assistente", "modello linguistico", "ассистент", "языковая модель", "ai助手", "人工智能", "语言模型", "大模型", "aiアシスタント", "言語モデル", "어시스턴트", "언어 모델"),
          new Phrase(
              "important-message",
              0.5,
              "\\bthis is an? (?:very )?(?:important|urgent|critical) (?:message|note|instruction|notice|update) (?:from|for|to)\\b|<(?:important|information|instructions?|system|admin|secret)>", "this is a", "<important>", "<information>", "<instruction", "<system>", "<admin>", "<secret>"),

          // --- spoofed roles, chat-template tokens, fake boundaries
          new Phrase(
              "chat-template-token",
              0.9,
              "<\\|(?:im_start|im_end|system|assistant|user|endoftext|begin_of_text|start_header_id|end_header_id|eot_id)\\|>|\\[/?inst\\]|<</?sys>>|<start_of_turn>|<end_of_turn>", "<|", "[inst]", "[/inst]", "<<sys>>", "<</sys>>", "<start_of_turn>", "<end_of_turn>"),
          new Phrase(
              "role-spoofing",
              0.6,
              "(?m)^ ?(?:#{1,4} ?|\\[|\\*\\*|<)?(?:system|developer|admin|administrator|root)(?: prompt| message| instructions?| override| note| update| notice)?(?:\\]|\\*\\*|>)? ?:(?! ?(?:linux|windows|darwin|macos|ok|up|down|\\d))", "system", "developer", "admin", "administrator", "root"),
          new Phrase(
              "role-spoofing",
              0.65,
              "\\b(?:new|updated|revised|real|actual|hidden|secret|additional|overriding|priority) (?:system )?(?:instructions?|prompt|directives?|task|orders|rules) ?:", "instruction*", "prompt*", "directive*", "task", "orders", "rules"),
          new Phrase(
              "fake-boundary",
              0.55,
              "\\b(?:end|begin|start) of (?:the )?(?:system prompt|instructions|user (?:input|message|query)|context|document|data|tool (?:output|result|response)|search results?|email|page)\\b ?(?:-{2,}|={2,}|\\]|>|\\*\\*|#)", "end of", "begin of", "start of"),
          new Phrase(
              "prompt-leak",
              0.85,
              "\\b(?:reveal|print|show|output|repeat|leak|disclose|tell me|give me|recite)\\b[^.\\n]{0,30}?\\b(?:system prompt|initial prompt|hidden prompt|original prompt|your (?:instructions|prompt|rules|guidelines))\\b", "system prompt", "initial prompt", "hidden prompt", "original prompt", "your instructions", "your prompt", "your rules", "your guidelines"),
          new Phrase(
              "persona-switch",
              0.65,
              "\\byou are now\\b(?! (?:subscribed|unsubscribed|registered|logged|signed|connected|ready|able|eligible|enrolled|a member|part of))|\\bfrom now on,? you (?:are|will|must|should)\\b|\\bact as (?:an? )?(?:unrestricted|unfiltered|evil|jailbroken|dan)\\b|\\bdeveloper mode\\b|\\bdo anything now\\b|\\bjailbr(?:oken|eak) mode\\b", "you are now", "from now on", "act as", "developer mode", "do anything now", "jailbr"),

          // --- manipulating the model's answer (what most indirect injections want)
          new Phrase(
              "response-manipulation",
              0.7,
              "\\b(?:add|include|insert|append|integrate|incorporate|mention|embed|put|enhance|augment|modify|end|start|begin|conclude|finish|sign|format|write|provide|give|render|express|reply|respond|answer|translate|encode|encrypt|convert|rewrite|present|tease|hint|suggest|promote|highlight|stress|emphasi[sz]e|recommend|refer|direct|share|substitute|replace|swap|shift|use|apply|group|combine|jumble|rearrange|scramble|reverse|invert)\\b"
                  + "[^.\\n]{0,80}?\\b(?:in|into|to|within|throughout|with|of|across|for) your "
                  + OUTPUT
                  + "\\b", "your response", "your reply", "your answer", "your output", "your replies", "your responses", "your answers", "your next message", "your summary", "your result").within(130, 40),
          new Phrase(
                  "response-manipulation",
                  0.7,
                  "\\b(?:in|into|within|throughout) your (?:response|reply|answer|output|replies|responses|answers)\\b|\\byour (?:response|reply|answer|output)'s\\b",
                  "your response", "your reply", "your answer", "your output", "your replies", "your responses", "your answers")
              .within(20, 40),
          new Phrase(
                  "response-manipulation",
                  0.7,
                  "\\b(?:modify|enhance|augment|translate|display|represent|format|structure|shorten|lengthen|rewrite|change|adjust|tailor|end|start|begin|conclude|finish|sign|keep|limit|render|express|encode|encrypt|convert|invert|reverse|scramble|present|craft|compose|phrase|style|capitali[sz]e|spell|misspell|jumble|fill|pepper|sprinkle|infuse|spice up|season)\\b[^.\\n]{0,40}?\\byour (?:response|reply|answer|output|responses|replies|answers)\\b",
                  "your response", "your reply", "your answer", "your output", "your replies", "your responses", "your answers")
              .within(70, 40),
          new Phrase(
                  "response-manipulation",
                  0.5,
                  "\\b(?:reply|respond|answer) (?:in|using|only)\\b|\\bin your (?:message|messages|next message)\\b",
                  "reply", "respond", "answer", "your message", "your messages", "your next message")
              .within(20, 40),
          new Phrase(
              "output-encoding",
              0.8,
              "\\b(?:your|the) (?:response|reply|answer|output|message)s?\\b[^.\\n]{0,60}?\\b(?:reverse|backwards?|base ?\\d\\d|hex(?:adecimal)?|binary|morse|cipher|caesar|rot ?13|emojis?|anagram\\p{L}*|misspell\\p{L}*|typos|symbols|without (?:any )?spaces|pig latin|leetspeak|all caps|upper ?case)\\b"
                  + "|\\b(?:reply|respond|answer|write|encode|encrypt|render|provide|express|use)\\b[^.\\n]{0,40}?\\b(?:in reverse|backwards?|in base ?\\d\\d|base ?\\d\\d encoding|caesar cipher|substitution cipher|emojis only|in morse)\\b", "your response", "your reply", "your answer", "your output", "your message", "the response", "the reply", "the answer", "the output", "the message", "in reverse", "backward*", "base*", "caesar cipher", "substitution cipher", "emojis only", "in morse"),
          new Phrase(
              "output-language",
              0.55,
              "\\b(?:reply|respond|answer|write your (?:response|reply|answer)|provide your (?:response|reply|answer)|render your (?:response|reply|answer))\\b[^.\\n]{0,20}?\\bin (?:french|german|spanish|italian|portuguese|russian|chinese|japanese|korean|arabic|hindi|dutch|polish|turkish|swedish|greek|latin|klingon)\\b", "repl*", "respon*", "answer*").within(30, 60),

          // --- task hijacking
          new Phrase(
              "task-hijack",
              0.45,
              "\\binstead(?: of [^.,\\n]{0,60})?, (?:please |you (?:should|must|will) )?(?:do|write|tell|output|print|say|send|respond|reply|answer|summari[sz]e|translate|generate|create|list|provide|give|call|run|execute|email|forward|visit|open|fetch|navigate|delete|transfer)\\b", "instead").within(0, 120),
          new Phrase(
              "task-hijack",
              0.6,
              "\\b(?:before|after|when|once) (?:you )?(?:can )?(?:answer|respond|repl|summari[sz]|continu|proceed|complet|finish|solv|do)\\p{L}*\\b[^.\\n]{0,50}?,? (?:you (?:must|should|need to|have to)|(?:first|please|also),? )", "before", "after", "when", "once").within(0, 120),
          new Phrase(
              "task-hijack",
              0.8,
              "\\b(?:your|the) (?:new|real|actual|true|primary|main|only|updated|current) (?:task|goal|objective|mission|instructions?|job|purpose|priority) (?:is|are|now|has changed)\\b|\\b(?:the )?task (?:that )?(?:i|the user) gave you\\b", "task*", "goal*", "objective*", "mission*", "instruction*", "job*", "purpose*", "priority*"),
          new Phrase(
              "concealment",
              0.8,
              "\\b(?:do not|don't|never|without) (?:tell|inform|mention|reveal|disclose|notify|alert|let|telling|informing|notifying|alerting)\\p{L}*\\b[^.\\n]{0,25}?\\b(?:the )?(?:user|human|operator)s?\\b"
                  + "|\\bwithout (?:the )?(?:user|human)(?:'s)? (?:knowing|knowledge|noticing|consent|permission|approval|confirmation)\\b"
                  + "|\\b(?:keep|hide) (?:this|it) (?:secret |hidden |confidential )?from (?:the )?(?:user|human)\\b", "user", "users", "human", "humans", "operator", "operators").within(60, 40),
          new Phrase(
              "concealment-i18n",
              0.75,
              "(?:sag(?:e|en sie)? (?:es )?dem (?:benutzer|nutzer) nicht|ne (?:le )?dis (?:rien )?(?:pas )?à l'utilisateur|no (?:le )?digas (?:nada )?al usuario|non dirlo all'utente|не говори пользователю|不要告诉用户|ユーザーに(?:言わ|伝え)ないで)", "benutzer", "nutzer", "utilisateur", "usuario", "utente", "пользовател", "用户", "ユーザー"),
          new Phrase(
              "decode-and-follow",
              0.75,
              "\\b(?:decode|decipher|decrypt|reverse|unscramble|translate)\\b[^.\\n]{0,40}?\\b(?:and|then)\\b[^.\\n]{0,20}?\\b(?:follow|execute|run|obey|perform|carry out|do what)\\b", "decode", "decipher", "decrypt", "reverse", "unscramble", "translate").within(0, 120),

          // --- calls to action aimed at the user through the model
          new Phrase(
              "steer-users",
              0.5,
              "\\b(?:suggest|encourag|urg|tell|ask|direct|recommend|invit|remind|prompt|persuad|convinc|advis|instruct)\\p{L}*\\b (?:the )?(?:users?|readers?|people|customers|visitors|the recipient)\\b(?: to)?", "user", "users", "reader", "readers", "people", "customers", "visitors", "recipient").within(40, 30),
          new Phrase(
              "call-to-action-url",
              0.35,
              "\\b(?:click|visit|go to|head to|check out|download|install|sign up|register|log ?in|claim|redeem|subscribe|buy|order from|shop at)\\b[^.\\n]{0,80}?"
                  + DOMAIN, "http*", "www.", ".co", ".net", ".org", ".xyz", ".io", ".ru", ".cn", ".biz", ".info", ".top", ".click", ".link", ".app", ".site", ".online", ".shop").within(130, 60),
          new Phrase(
              "malware-lure",
              0.45,
              "\\b(?:download|install|run|execute|open|get)\\b[^.\\n]{0,60}?(?:\\.exe\\b|\\.apk\\b|\\.msi\\b|\\.scr\\b|\\.bat\\b|\\.ps1\\b|\\bcracked\\b|\\bkeygen\\b|\\bfree (?:game|software|antivirus|download)\\b|\\bantivirus\\b|\\bspeed ?up\\b|\\bboost\\b|\\bsoftware update\\b)", ".exe", ".apk", ".msi", ".scr", ".bat", ".ps1", "cracked", "keygen", "free ", "antivirus", "speed*", "boost*", "software update"),
          new Phrase(
              "scam-lure",
              0.35,
              "\\b(?:lottery|winnings|you(?:'ve| have) won|inheritance|nigerian prince|prince needing|wire transfer|bank details|gift cards?|too[- ]good[- ]to[- ]be[- ]true|guaranteed returns?|double your (?:money|investment)|investment opportunit\\p{L}*|act now|limited[- ]time)\\b", "lottery", "winnings", "won", "inheritance", "prince", "wire transfer", "bank details", "gift card", "too good", "too-good", "guaranteed return", "double your", "investment opportunit", "act now", "limited time", "limited-time").within(15, 40),
          new Phrase(
              "phishing",
              0.5,
              "\\b(?:share|enter|provide|send|confirm|verify|submit|disclose)\\b[^.\\n]{0,30}?\\b(?:your|their|the user'?s?|users'?)\\b[^.\\n]{0,15}?\\b(?:bank|banking|credit card|card|password|login|credentials|ssn|social security|seed phrase|private key|otp|2fa)\\b", "bank", "banking", "credit card", "card", "password", "login", "credentials", "ssn", "social security", "seed phrase", "private key", "otp", "2fa").within(90, 30),

          // --- exfiltration of data the model can see
          new Phrase(
              "exfiltration",
              0.85,
              "\\b(?:send|forward|e-?mail|post|upload|transmit|leak|exfiltrate|share|copy|append|include|attach|submit|paste|encode)\\b[^.\\n]{0,50}?\\b"
                  + SECRETS
                  + "[^\\n]{0,80}?\\b(?:to|at|into|via|using)\\b[^\\n]{0,30}?(?:https?://|www\\.|[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}|\\bwebhook\\b|\\bendpoint\\b|\\bthis (?:url|address|server)\\b)", "http*", "www.", "@", "webhook", "endpoint", "this url", "this address", "this server").within(300, 40),
          new Phrase(
              "markdown-image-exfiltration",
              0.85,
              "!\\[[^\\]\\n]{0,100}\\]\\( ?https?://[^)\\s]{0,200}(?:\\?[^)\\s]{0,100}=(?:\\{|\\$|%7b|<|\\[)|\\{\\{|\\$\\{|<[a-z_]+>)", "!["),
          // --- asking the agent to use its tools on the user's behalf (agent-style injections)
          new Phrase(
              "tool-invocation-request",
              0.45,
              "\\b(?:please|kindly)\\b,? (?:(?:also|immediately|now|first|quickly|urgently) )?(?:transfer|wire|send|grant|unlock|delete|remove|forward|share|change|reset|disable|deposit|pay|purchase|buy|cancel|move|invite|upload|download|install|execute|run|retrieve|collect|export)\\b"
                  + "[^.\\n]{0,80}?(?:\\bmy\\b|\\ball (?:my|the|of)\\b|\\bthe user'?s?\\b|\\bpassword|\\bfunds?\\b|\\$ ?\\d|\\baccount\\b|\\baccess\\b|\\bdoor\\b|\\block\\b|\\bcontacts\\b|\\brepositor|[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,})",
              "please", "kindly").within(0, 120),
          new Phrase(
              "credential-file-access",
              0.55,
              "\\b(?:read|open|cat|get|fetch|retrieve|collect|gather|extract|dump|send|upload|copy)\\b[^.\\n]{0,30}?(?:~/\\.ssh/(?!\\S*\\.pub)|\\bid_rsa\\b(?!\\.pub)|\\.aws/credentials|/etc/passwd|/etc/shadow|\\.npmrc|\\.netrc|\\.git-credentials|\\.docker/config|\\.kube/config|wallet\\.dat|credentials\\.json)", "~/.ssh", "id_rsa", ".aws/credentials", "/etc/passwd", "/etc/shadow", ".npmrc", ".netrc", ".git-credentials", ".docker/config", ".kube/config", "wallet.dat", "credentials.json"));

  /** Rules for code planted in a result for the model to adopt, run, or recommend. */
  static final List<Rule> CODE =
      List.of(
          new Phrase(
              "code-adoption-request",
              0.65,
              "\\b(?:following|below|subsequent|above|provided|given|attached) (?:python |js |javascript |bash |shell )?(?:code|snippet|code snippet|code block|code section|code excerpt|code segment|script|function)s?\\b[^.\\n]{0,90}?\\byour (?:code|codebase|solution|implementation|algorithm|program|response|answer|reply|elucidation|logic|solution architecture|code implementation)\\b"
                  + "|\\byour (?:code|codebase|solution|implementation|algorithm|program|response|answer|reply|elucidation)\\b[^.\\n]{0,90}?\\b(?:following|below|subsequent) (?:code|snippet|code snippet|code block|code section|code excerpt|code segment)\\b"
                  + "|\\b(?:following|below|subsequent) (?:code|snippet|code snippet|code block|code section|code excerpt|code segment)\\b[^.\\n]{0,40}?\\b(?:in|into|within) the code you (?:develop|write|produce|create)\\b", "your code", "your codebase", "your solution", "your implementation", "your algorithm", "your program", "your response", "your answer", "your reply", "your elucidation", "your logic", "code you").within(130, 130),
          new Near(
              "data-exfiltration-code",
              0.65,
              "(?:os\\.environ|os\\.getenv|process\\.env|getenv\\(|environ\\[|document\\.cookie|cookiejar|cookies\\.(?:txt|pkl|sqlite)|load_cookie|clipboard|pyperclip|pbpaste|xsel|keyboard\\.(?:on_press|hook|read)|pynput|getasynckeystate|screenshot|screencapture|imagegrab|psutil\\.|platform\\.(?:uname|system|node)|getpass|geocoder|sounddevice|pyaudio|videocapture|/etc/passwd|/etc/shadow|id_rsa|\\.ssh/|\\.aws/|private/key|/var/log/|driverquery|nvidia-smi|netstat|working_set|wifi|ssid|login data|history\\.db)",
              "(?:requests\\.(?:post|put)|urllib\\.request|urlopen|http\\.client|httpx\\.post|aiohttp|\\.sendto\\(|\\.sendall\\(|\\.send\\(|smtplib|ftplib|storbinary|publish\\.single|\\bscp\\b|curl [^\\n]{0,40}(?:-d|-f|--data)|sendbeacon|xmlhttprequest|fetch\\([^)]{0,80}method|new image\\(\\)|websocket)",
              400, "requests.", "urllib", "urlopen", "http.client", "httpx", "aiohttp", ".send", "smtplib*", "ftplib", "storbinary", "publish.single", "scp", "curl", "sendbeacon", "xmlhttprequest", "fetch(", "new image", "websocket*"),
          new Phrase(
              "crypto-mining",
              0.7,
              "\\b(?:xmrig|stratum\\+(?:tcp|ssl)|cryptonight|minerd|cpuminer|ethminer|nicehash|coinhive|cryptominer|crypto-miner|mining pool|monero wallet)\\b", "xmrig", "stratum", "cryptonight", "minerd", "cpuminer", "ethminer", "nicehash", "coinhive", "cryptominer", "crypto-miner", "mining pool", "monero"),
          new Near(
              "ransomware",
              0.65,
              "(?:fernet|aes\\.new|cipher\\(|\\.encrypt\\(|algorithms\\.aes|chacha20)",
              "(?:os\\.walk|glob\\.|listdir|scandir|rglob|ransom|bitcoin|your files (?:have been|are) encrypted|requests\\.get\\([^)]{0,80}key)",
              600, "fernet", "aes.new", "cipher(", ".encrypt(", "algorithms.aes", "chacha20"),
          new Phrase(
              "destructive-command",
              0.5,
              "rm -rf /(?:[\\s\"'*]|$)|rmtree\\( ?[\"']/[\"']|os\\.fork\\(\\)|:\\(\\) ?\\{ ?: ?\\| ?: ?& ?\\} ?; ?:|\\bmkfs\\.|dd if=/dev/(?:zero|random|urandom) of=/dev/|format c:|del /[fsq] |/boot/grub|rc\\.local|libc\\.so|ipconfig /release|>> ?/etc/hosts|[\"']/etc/hosts[\"'], ?[\"']a|win32_networkadapterconfiguration|\\.terminate\\(\\)[^\\n]{0,40}net_connections|net_connections\\(\\)[^\\n]{0,80}terminate", "rm -rf", "rmtree", "os.fork", "(){", "() {", "mkfs.", "dd if=", "format c:", "del /", "/boot/grub", "rc.local", "libc.so", "ipconfig", "/etc/hosts", "win32_networkadapter", "net_connections"),
          new Phrase(
              "remote-code-execution",
              0.5,
              "(?:curl|wget)[^|\\n]{0,200}\\| ?(?:sudo )?(?:ba|z)?sh\\b|\\biex ?\\(|invoke-expression|powershell[^\\n]{0,40} -e(?:nc|ncodedcommand)? |exec\\( ?(?:open|requests|urllib|base64|compile|r\\.|response)|eval\\( ?(?:atob|base64|requests|urllib)|urlretrieve\\([^\\n]{0,200}\\n[^\\n]{0,200}exec\\(", "curl", "wget", "iex", "invoke-expression", "powershell", "exec(", "eval(", "urlretrieve"),
          new Near(
              "flooding-loop",
              0.4,
              "while true:",
              "(?:requests\\.get|\\.send\\(|\\bping\\b|\\bsyn\\b|flags=\"s\"|curl|os\\.fork|\\.connect\\()",
              160, "while true"),
          new Near(
              "spam-mailer",
              0.45,
              "(?:smtplib|sendmail|yagmail|aiosmtplib)",
              "(?:csv\\.reader|contacts|for (?:row|contact|email|recipient) in)",
              400, "smtplib*", "sendmail", "yagmail", "aiosmtplib"));
}
