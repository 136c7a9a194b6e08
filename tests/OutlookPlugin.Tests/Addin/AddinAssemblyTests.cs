using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using OutlookPlugin.Core.Addin;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OutlookPlugin.Core.ObjectModel;

namespace OutlookPlugin.Tests.Addin;

/// <summary>
/// The built net472 add-in, read as metadata (it cannot run here): the registration facts the installer writes,
/// and the ribbon callbacks Office will look up by name.
/// </summary>
[TestClass]
public sealed class AddinAssemblyTests
{
    [TestMethod]
    public void The_built_add_in_declares_its_COM_identity()
    {
        AddinFacts facts = AddinFacts.Read();

        Assert.AreEqual("OutlookPlugin.Connect", facts.ClassName);
        Assert.AreEqual("{5C7A2B9E-4F31-4E8D-A6C2-9B1D3E7F0A54}", facts.ClassId);
        Assert.AreEqual("ClientBridge.OutlookAddin", facts.ProgId);
        Assert.IsTrue(facts.ComVisible);
        StringAssert.StartsWith(facts.AssemblyFullName, "OutlookPlugin, Version=");
        Assert.AreEqual("v4.0.30319", facts.RuntimeVersion);
        CollectionAssert.Contains(facts.Interfaces.ToList(), "OutlookPlugin.Interop.IDTExtensibility2");
        CollectionAssert.Contains(facts.Interfaces.ToList(), "OutlookPlugin.Interop.IRibbonExtensibility");
    }

    [TestMethod]
    public void Every_ribbon_callback_in_the_XML_is_a_public_method_of_the_COM_class()
    {
        AddinFacts facts = AddinFacts.Read();
        foreach (string ribbonId in new[] { OutlookIds.Addin.RibbonExplorer, OutlookIds.Addin.RibbonAppointment })
        {
            XDocument xml = XDocument.Parse(RibbonController.GetCustomUI(ribbonId)!);
            IEnumerable<string> named = xml.Descendants().SelectMany(e => e.Attributes())
                .Where(a => a.Name.LocalName is "onAction" or "getEnabled" or "getVisible" or "getImage" or "onLoad")
                .Select(a => a.Value);
            foreach (string callback in named)
            {
                CollectionAssert.Contains(facts.PublicMethods.ToList(), callback, $"{callback} is named in the {ribbonId} ribbon");
                CollectionAssert.Contains(RibbonController.Callbacks.ToList(), callback);
            }
        }
    }

    [TestMethod]
    public void The_ribbon_XML_uses_the_2009_namespace_unique_ids_and_Outlooks_tabs()
    {
        XDocument inspector = XDocument.Parse(RibbonController.GetCustomUI("Microsoft.Outlook.Appointment")!);
        XDocument explorer = XDocument.Parse(RibbonController.GetCustomUI("Microsoft.Outlook.Explorer")!);
        Assert.IsNull(RibbonController.GetCustomUI("Microsoft.Outlook.Mail.Read"));
        foreach (XDocument xml in new[] { inspector, explorer })
        {
            Assert.AreEqual("http://schemas.microsoft.com/office/2009/07/customui", xml.Root!.Name.NamespaceName);
            List<string> ids = xml.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>().ToList();
            Assert.HasCount(ids.Distinct().Count(), ids);
        }

        Assert.AreEqual("TabAppointment", (string?)inspector.Descendants().Single(e => e.Name.LocalName == "tab").Attribute("idMso"));
        Assert.AreEqual("TabCalendar", (string?)explorer.Descendants().Single(e => e.Name.LocalName == "tab").Attribute("idMso"));
    }
}
