package dev.awssandbox.mcp.policy;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The AWS CLI's names for model names: botocore's {@code xform_name(name, '-')}, which turns
 * {@code DescribeInstances} into {@code describe-instances} and {@code VPCIds} into
 * {@code vpc-ids}. The three regular expressions are botocore's; a handful of names botocore
 * spells by hand are listed here (the tests compare every operation and parameter name of the
 * installed botocore with botocore's own function).
 */
final class CliNames {
    private static final Pattern FIRST_CAP = Pattern.compile("(.)([A-Z][a-z]+)");
    private static final Pattern END_CAP = Pattern.compile("([a-z0-9])([A-Z])");
    private static final Pattern SPECIAL_PLURAL = Pattern.compile("[A-Z]{2,}s$");

    /** botocore's hand-written transformations (its {@code _xform_cache} seed). */
    private static final Map<String, String> IRREGULAR = Map.ofEntries(
            Map.entry("CreateCachediSCSIVolume", "create-cached-iscsi-volume"),
            Map.entry("DescribeCachediSCSIVolumes", "describe-cached-iscsi-volumes"),
            Map.entry("DescribeStorediSCSIVolumes", "describe-stored-iscsi-volumes"),
            Map.entry("CreateStorediSCSIVolume", "create-stored-iscsi-volume"),
            Map.entry("ListHITsForQualificationType", "list-hits-for-qualification-type"),
            Map.entry("ExecutePartiQLStatement", "execute-partiql-statement"),
            Map.entry("ExecutePartiQLTransaction", "execute-partiql-transaction"),
            Map.entry("ExecutePartiQLBatch", "execute-partiql-batch"),
            Map.entry("AssociateWhatsAppBusinessAccount", "associate-whatsapp-business-account"),
            Map.entry("CreateWhatsAppMessageTemplate", "create-whatsapp-message-template"),
            Map.entry("CreateWhatsAppMessageTemplateFromLibrary", "create-whatsapp-message-template-from-library"),
            Map.entry("CreateWhatsAppMessageTemplateMedia", "create-whatsapp-message-template-media"),
            Map.entry("DeleteWhatsAppMessageMedia", "delete-whatsapp-message-media"),
            Map.entry("DeleteWhatsAppMessageTemplate", "delete-whatsapp-message-template"),
            Map.entry("DisassociateWhatsAppBusinessAccount", "disassociate-whatsapp-business-account"),
            Map.entry("GetLinkedWhatsAppBusinessAccount", "get-linked-whatsapp-business-account"),
            Map.entry("GetLinkedWhatsAppBusinessAccountPhoneNumber", "get-linked-whatsapp-business-account-phone-number"),
            Map.entry("GetOTelEnrichment", "get-otel-enrichment"),
            Map.entry("GetWhatsAppMessageMedia", "get-whatsapp-message-media"),
            Map.entry("GetWhatsAppMessageTemplate", "get-whatsapp-message-template"),
            Map.entry("ListLinkedWhatsAppBusinessAccounts", "list-linked-whatsapp-business-accounts"),
            Map.entry("ListWhatsAppMessageTemplates", "list-whatsapp-message-templates"),
            Map.entry("ListWhatsAppTemplateLibrary", "list-whatsapp-template-library"),
            Map.entry("PostWhatsAppMessageMedia", "post-whatsapp-message-media"),
            Map.entry("PutWhatsAppBusinessAccountEventDestinations", "put-whatsapp-business-account-event-destinations"),
            Map.entry("SendWhatsAppMessage", "send-whatsapp-message"),
            Map.entry("StartOTelEnrichment", "start-otel-enrichment"),
            Map.entry("StopOTelEnrichment", "stop-otel-enrichment"),
            Map.entry("UpdateWhatsAppMessageTemplate", "update-whatsapp-message-template"));

    private CliNames() {}

    /** {@code xform_name(name, '-')}. */
    static String of(String name) {
        if (name.indexOf('-') >= 0) {
            return name;
        }
        String irregular = IRREGULAR.get(name);
        if (irregular != null) {
            return irregular;
        }
        java.util.regex.Matcher special = SPECIAL_PLURAL.matcher(name);
        if (special.find()) {
            String matched = special.group();
            name = name.substring(0, name.length() - matched.length()) + "-" + matched.toLowerCase(Locale.ROOT);
        }
        String s1 = FIRST_CAP.matcher(name).replaceAll("$1-$2");
        return END_CAP.matcher(s1).replaceAll("$1-$2").toLowerCase(Locale.ROOT);
    }
}
