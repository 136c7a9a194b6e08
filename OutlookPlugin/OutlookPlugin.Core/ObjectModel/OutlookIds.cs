using System;

namespace OutlookPlugin.Core.ObjectModel;

/// <summary>
/// Every constant this add-in takes from Outlook, in one place, each with where it was verified. The sources are
/// the tags of docs/FACTS.md: [P] a primary Microsoft source (VBA-Docs, the PIA reference XML, the
/// Office developer client docs), [S] secondary (NetOffice and working third-party add-ins).
/// </summary>
public static class OutlookIds
{
    /// <summary>OlDefaultFolders (FACTS §1, VBA Outlook.OlDefaultFolders [P]).</summary>
    public const int FolderDeletedItems = 3;

    public const int FolderCalendar = 9;

    /// <summary>OlExchangeStoreType olPrimaryExchangeMailbox: the mailbox an account of the profile signs in to (FACTS §1, VBA Outlook.OlExchangeStoreType [P]).</summary>
    public const int StoreTypePrimaryExchangeMailbox = 0;

    /// <summary>OlExchangeStoreType olExchangePublicFolder: public folders, which have no owner (FACTS §1 [P]).</summary>
    public const int StoreTypePublicFolder = 2;

    /// <summary>OlExchangeStoreType olNotExchange: a store that is not Exchange's, such as a PST (FACTS §1, VBA Outlook.OlExchangeStoreType [P]).</summary>
    public const int StoreTypeNotExchange = 3;

    /// <summary>OlItemType.olAppointmentItem (FACTS §1 [P]).</summary>
    public const int AppointmentItemType = 1;

    /// <summary>OlObjectClass values of the Class property (FACTS §1 [P]).</summary>
    public const int ClassAppointment = 26;

    public const int ClassMeetingRequest = 53;

    public const int ClassMeetingCancellation = 54;

    public const int ClassInspector = 35;

    public const int ClassCalendarView = 139;

    /// <summary>OlMeetingStatus (FACTS §1 [P]).</summary>
    public const int MeetingStatusNonMeeting = 0;

    public const int MeetingStatusMeeting = 1;

    public const int MeetingStatusReceived = 3;

    public const int MeetingStatusCanceled = 5;

    public const int MeetingStatusReceivedAndCanceled = 7;

    /// <summary>OlRecurrenceState (FACTS §1 [P]).</summary>
    public const int RecurrenceNone = 0;

    public const int RecurrenceMaster = 1;

    public const int RecurrenceOccurrence = 2;

    public const int RecurrenceException = 3;

    /// <summary>OlMeetingRecipientType (FACTS §1 [P]).</summary>
    public const int RecipientOrganizer = 0;

    public const int RecipientResource = 3;

    /// <summary>OlEditorType.olEditorWord (FACTS §1 [P]).</summary>
    public const int EditorWord = 4;

    /// <summary>OlInspectorClose.olSave (FACTS §1 [P]).</summary>
    public const int InspectorCloseSave = 0;

    /// <summary>The only namespace type GetNamespace accepts (FACTS §2.1 [P]).</summary>
    public const string MapiNamespace = "MAPI";

    /// <summary>RPC_E_WRONG_THREAD: an object-model call off Outlook's main thread (FACTS §7.2 [P] behaviour, [S] value).</summary>
    public const int RpcWrongThread = unchecked((int)0x8001010E);

    /// <summary>
    /// MAPI_E_NOT_FOUND, in a PropertyAccessor.GetProperties result slot and as a COMException's HResult ([S], standard
    /// MAPI SCODE). The only error that means "no such item": every other one (MAPI_E_NETWORK_ERROR, RPC_E_CALL_REJECTED,
    /// E_FAIL, …) means "not known now" (FACTS §10).
    /// </summary>
    public const int MapiNotFound = unchecked((int)0x8004010F);

    /// <summary>Event source dispinterfaces (FACTS §3, PIA reference XML [P]).</summary>
    public static class Events
    {
        public const string ApplicationEvents11 = "0006302C-0000-0000-C000-000000000046";
        public const string ItemsEvents = "00063077-0000-0000-C000-000000000046";
        public const string ItemEvents10 = "0006302B-0000-0000-C000-000000000046";
        public const string InspectorsEvents = "00063079-0000-0000-C000-000000000046";
        public const string InspectorEvents10 = "0006302A-0000-0000-C000-000000000046";

        /// <summary>ApplicationEvents_11 DISPIDs (FACTS §3.1 [P]).</summary>
        public const int ItemSend = 0xF002;

        public const int Startup = 0xF006;

        public const int Quit = 0xF007;

        /// <summary>ItemsEvents DISPIDs (FACTS §3.1 [P]).</summary>
        public const int ItemAdd = 0xF001;

        public const int ItemChange = 0xF002;

        public const int ItemRemove = 0xF003;

        /// <summary>ItemEvents_10 DISPIDs (FACTS §3.1 [P]).</summary>
        public const int Write = 0xF002;

        public const int BeforeDelete = 0xFA75;

        public const int Unload = 0xFBAD;

        /// <summary>InspectorsEvents / InspectorEvents_10 DISPIDs (FACTS §3.1 [P]).</summary>
        public const int NewInspector = 0xF001;

        public const int InspectorClose = 0xF008;
    }

    /// <summary>Add-in plumbing interfaces (FACTS §6.1, §6.2: NetOffice declarations [S], IIDs cross-checked on Microsoft PIA pages [P]).</summary>
    public static class Addin
    {
        public const string IDTExtensibility2 = "B65AD801-ABAF-11D0-BB8B-00A0C90F2744";
        public const string IRibbonExtensibility = "000C0396-0000-0000-C000-000000000046";
        public const string IRibbonControl = "000C0395-0000-0000-C000-000000000046";
        public const string IRibbonUI = "000C03A7-0000-0000-C000-000000000046";

        /// <summary>ext_ConnectMode (FACTS §6.1 [S]).</summary>
        public const int ConnectAfterStartup = 0;

        public const int ConnectStartup = 1;

        /// <summary>RibbonIDs Outlook passes to GetCustomUI (FACTS §6.3 [P]).</summary>
        public const string RibbonExplorer = "Microsoft.Outlook.Explorer";

        public const string RibbonAppointment = "Microsoft.Outlook.Appointment";

        /// <summary>idMso values (FACTS §6.4, Microsoft's control-ID spreadsheets [P]).</summary>
        public const string TabAppointment = "TabAppointment";

        public const string TabCalendar = "TabCalendar";

        public const string GroupActions = "GroupActions";

        public const string GroupCalendarNew = "GroupCalendarNew";

        /// <summary>The Office 2010+ RibbonX namespace (FACTS §6.4, MS-CUSTOMUI2 [P]).</summary>
        public const string CustomUiNamespace = "http://schemas.microsoft.com/office/2009/07/customui";
    }

    /// <summary>
    /// DASL property names (FACTS §4.3, §5: ODC canonical-property pages [P]; the scheme is http, not https, §8.1).
    /// </summary>
    /// <summary>Word's constants for the inspector's WordEditor (FACTS §2.7).</summary>
    public static class Word
    {
        /// <summary>WdFindWrap.wdFindStop: a Find stops at the end of its range (Word VBA WdFindWrap enumeration [P]).</summary>
        public const int FindStop = 0;
    }

    public static class Schema
    {
        private const string Appointment = "http://schemas.microsoft.com/mapi/id/{00062002-0000-0000-C000-000000000046}/";

        public const string StartUtc = Appointment + "820D0040";
        public const string EndUtc = Appointment + "820E0040";
        public const string Location = Appointment + "8208001F";
        public const string Recurring = Appointment + "8223000B";
        public const string AllDay = Appointment + "8215000B";

        /// <summary>PidTagDisplayTypeEx on a recipient: the reliable room test (FACTS §2.8 [P]); DT_ROOM is 7 (MAPI [S]).</summary>
        public const string RecipientDisplayType = "http://schemas.microsoft.com/mapi/proptag/0x39050003";

        public const int DisplayTypeRoom = 7;

        public const int DisplayTypeEquipment = 8;

        /// <summary>
        /// This add-in's own string namespace for its named properties, as Microsoft's best-practice page advises
        /// rather than the shared PS_PUBLIC_STRINGS (FACTS §2.8, §5.1 [P]).
        /// </summary>
        public const string OwnNamespace = "http://schemas.microsoft.com/mapi/string/{6B1F0E52-8C7A-4F0B-9D6E-3C2A51E4B7D9}/";

        /// <summary>
        /// PidTagLongTermEntryIdFromTable as a Table column: the item's long-term EntryID, where the "EntryID" column may
        /// be a short-term id that GetItemFromID cannot open (FACTS §2.3, ODC PidTagLongTermEntryIdFromTable page [P]).
        /// Binary, so it comes as a byte array (a column added by namespace, FACTS §2.3).
        /// </summary>
        public const string LongTermEntryIdFromTable = "http://schemas.microsoft.com/mapi/proptag/0x66700102";

        /// <summary>
        /// PidTagMailboxOwnerEntryId (PR_MAILBOX_OWNER_ENTRYID), read through Store.PropertyAccessor: the address-book
        /// EntryID of the mailbox's owner (MAPI canonical property, message store area [P]; FACTS §10). Binary.
        /// </summary>
        public const string MailboxOwnerEntryId = "http://schemas.microsoft.com/mapi/proptag/0x661B0102";

        /// <summary>The type suffix a string-named property needs as a Table column (FACTS §5.1: Columns.Add page [P]).</summary>
        public const string UnicodeColumnSuffix = "/0x0000001f";

        /// <summary>
        /// The type suffix the same property needs in a DASL filter (Find, Restrict, GetTable) when it is no folder field:
        /// eight hex digits without 0x (FACTS §4.1, §5.1: the filtering-a-custom-field page [P]; §8 notes the two spellings).
        /// </summary>
        public const string UnicodeFilterSuffix = "/0000001f";
    }
}
