package mastodon.s3sync.ops;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.modelmbean.InvalidTargetObjectTypeException;
import javax.management.modelmbean.ModelMBean;
import javax.management.modelmbean.ModelMBeanInfo;
import javax.management.modelmbean.RequiredModelMBean;

import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedInstance;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.api.management.NotificationSenderAware;
import org.apache.camel.spi.ManagementMBeanAssembler;
import org.apache.camel.support.management.MBeanInfoAssembler;
import org.apache.camel.support.management.MixinRequiredModelMBean;
import org.apache.camel.support.management.NotificationSenderAdapter;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Camel's MBean assembler, with the description of each MBean built once per class instead of once per MBean.
 * <p>
 * Camel describes every MBean it registers (routes, steps, endpoints, producers, consumers, services: about 260 in
 * {@code run}) with a {@code ModelMBeanInfo} built from its class's annotations. It caches the annotations per class
 * but builds and validates every attribute's and operation's descriptor again for each MBean: 75 of the 81 profile
 * samples of JMX registration at {@code run}'s start, about 0.3 s before the first object (bench/RESULTS.md). What it
 * builds depends on the classes only (the managed object's and its custom instance's: names, descriptions, getters,
 * setters, masks, notifications; the object name is not read), so this assembler keeps one per pair of classes and
 * does the rest as Camel's {@code DefaultManagementMBeanAssembler} does. Each {@code RequiredModelMBean} works on its
 * own copy ({@code setModelMBeanInfo} clones it); the attribute descriptors the copies share are only written when a
 * descriptor sets {@code currencyTimeLimit}, which Camel's never do.
 */
public final class SharedMBeanInfo extends ServiceSupport implements ManagementMBeanAssembler {

    private static final Object NONE = new Object();

    private final CamelContext context;
    private final MBeanInfoAssembler assembler;
    /** Keyed by the managed object's class and its custom instance's (or {@code NONE}); bounded by the classes. */
    private final Map<List<Object>, ModelMBeanInfo> infos = new ConcurrentHashMap<>();

    public SharedMBeanInfo(CamelContext context) {
        this.context = context;
        this.assembler = new MBeanInfoAssembler(context);
        // its class cache, kept across a stop (which empties it): Camel's agent may assemble before it starts this
        assembler.start();
    }

    /** Installs it on the context; call before the context starts (Camel's JMX agent reads it when it starts). */
    public static void install(CamelContext context) {
        context.getCamelContextExtension().setManagementMBeanAssembler(new SharedMBeanInfo(context));
    }

    @Override
    public ModelMBean assemble(MBeanServer server, Object obj, ObjectName name) throws JMException {
        ModelMBeanInfo info = null;
        ModelMBeanInfo standard = null;
        Object custom = null;
        if (obj instanceof ManagedInstance managed) {
            custom = managed.getInstance();
            if (custom != null && custom.getClass().isAnnotationPresent(ManagedResource.class)) {
                info = info(obj, custom, name);
                standard = info(obj, null, name);
            }
        }
        if (info == null) {
            info = info(obj, null, name);
        }
        if (info == null) {
            return null; // a proxy class: Camel's assembler does not describe those either
        }
        Boolean mask = context.getManagementStrategy().getManagementAgent().getMask();
        RequiredModelMBean mixin = null;
        Object target = obj;
        if (standard != null) {
            mixin = (RequiredModelMBean) server.instantiate(RequiredModelMBean.class.getName());
            mixin.setModelMBeanInfo(standard);
            managedResource(mixin, obj);
            target = custom;
        }
        RequiredModelMBean mbean = new MixinRequiredModelMBean(info, mask != null && mask, standard, mixin);
        managedResource(mbean, target);
        if (target instanceof NotificationSenderAware aware) {
            aware.setNotificationSender(new NotificationSenderAdapter(mbean));
        }
        return mbean;
    }

    /** How many descriptions are kept: one per pair of classes, whatever the number of MBeans. */
    int described() {
        return infos.size();
    }

    private ModelMBeanInfo info(Object obj, Object custom, ObjectName name) throws JMException {
        List<Object> key = List.of(obj.getClass(), custom == null ? NONE : custom.getClass());
        ModelMBeanInfo info = infos.get(key);
        if (info == null) {
            info = assembler.getMBeanInfo(context, obj, custom, name.toString());
            if (info != null) {
                infos.putIfAbsent(key, info);
            }
        }
        return info;
    }

    private static void managedResource(RequiredModelMBean mbean, Object target) throws JMException {
        try {
            mbean.setManagedResource(target, "ObjectReference");
        } catch (InvalidTargetObjectTypeException e) {
            throw new JMException(e.getMessage());
        }
    }

    @Override
    protected void doStop() {
        assembler.stop();
        infos.clear();
    }
}
